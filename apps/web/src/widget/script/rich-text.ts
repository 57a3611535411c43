/**
 * Widget script, part: bot and agent text as DOM nodes (a tiny safe Markdown subset), never as HTML.
 * Plain browser JavaScript (ES2017) without backticks, run inside the function that
 * widget-script.ts wraps the parts in (they share its scope).
 */
export const RICH_TEXT_JS = String.raw`
  // ---- Rich text: bot and agent text as DOM nodes, never as HTML ---------------------------
  // The subset: **bold**, [label](http(s) URL) and bare http(s) URLs become links. A Markdown
  // image ![alt](url) becomes a link too (never an <img>: nothing loads that the customer did not
  // click). Everything else, HTML included, stays text.
  var RICH = /!\[([^\]\n]*)\]\(([^)\s]+)\)|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|(https?:\/\/[^\s<>()"']*[^\s<>()"'.,;:!?*])/g;

  /** The URL if it is an absolute http(s) one, else null (javascript:, data:, relative...). */
  function safeUrl(raw) {
    try {
      var url = new URL(raw);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Splits text into tokens: {text} | {bold} | {link, href}. Pure, so it is unit-tested. */
  function richTokens(text) {
    var tokens = [];
    var last = 0;
    var match;
    RICH.lastIndex = 0;
    while ((match = RICH.exec(text)) !== null) {
      if (match.index > last) tokens.push({ text: text.slice(last, match.index) });
      if (match[2] !== undefined) {
        var imageHref = safeUrl(match[2]);
        var label = 'Image: ' + (match[1] || match[2]);
        tokens.push(imageHref ? { link: label, href: imageHref } : { text: match[0] });
      } else if (match[4] !== undefined) {
        var href = safeUrl(match[4]);
        tokens.push(href ? { link: match[3], href: href } : { text: match[0] });
      } else if (match[5] !== undefined) {
        tokens.push({ bold: match[5] });
      } else {
        tokens.push({ link: match[6], href: safeUrl(match[6]) || '' });
      }
      last = RICH.lastIndex;
    }
    if (last < text.length) tokens.push({ text: text.slice(last) });
    return tokens;
  }

  /** Replaces "parent"'s content with "text", formatted; only text nodes and safe elements. */
  function renderRich(parent, text) {
    var nodes = richTokens(text).map(function (token) {
      if (token.bold !== undefined) return h('strong', { text: token.bold });
      if (token.link !== undefined && token.href) {
        return h('a', { text: token.link, href: token.href, target: '_blank', rel: 'noopener noreferrer nofollow' });
      }
      return document.createTextNode(token.text !== undefined ? token.text : token.link);
    });
    parent.replaceChildren.apply(parent, nodes);
  }

  /** Creates an element: "text" becomes textContent, other keys attributes; never innerHTML. */
  function h(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'text') element.textContent = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      element.appendChild(child);
    });
    return element;
  }
`;
