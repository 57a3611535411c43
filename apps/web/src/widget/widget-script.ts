import { CHAT_JS } from './script/chat';
import { CONNECTION_JS } from './script/connection';
import { RICH_TEXT_JS } from './script/rich-text';
import { START_JS } from './script/start';
import { VIEW_JS } from './script/view';
import { WIDGET_CSS } from './widget-style';

/**
 * GET /widget.js: the embeddable chat widget, one self-contained script with no dependencies.
 * A page embeds it with one tag; the server it talks to is the one the script came from:
 *
 *   <script src="https://parley.example/widget.js" data-title="Chat with us" async></script>
 *
 * Optional attributes: data-title, data-welcome (a greeting shown above the conversation), and
 * for a customer the site has logged in, data-user-id with data-user-hash (made by the site's
 * server: hex(HMAC-SHA256(WEB_IDENTITY_SECRET, userId))). Anyone else is an anonymous visitor
 * with a signed token from POST /api/v1/visitors.
 */
export const WIDGET_JS = [
  '/* Parley chat widget. Source: apps/web/src/widget/ in the Parley repository. */',
  '(function () {',
  "  'use strict';",
  `  var WIDGET_CSS = ${JSON.stringify(WIDGET_CSS)};`,
  RICH_TEXT_JS,
  CONNECTION_JS,
  VIEW_JS,
  CHAT_JS,
  START_JS,
  '})();',
  '',
].join('\n');
