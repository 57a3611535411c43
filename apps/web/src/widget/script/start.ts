/**
 * Widget script, part: reads the script tag's data attributes and starts the widget once the page has a body.
 * Plain browser JavaScript (ES2017) without backticks, run inside the function that
 * widget-script.ts wraps the parts in (they share its scope).
 */
export const START_JS = String.raw`
  // ---- Start ---------------------------------------------------------------------------------
  var script = document.currentScript;
  // Embedded twice (or run outside a <script src> tag): one widget is enough.
  if (!script || !script.src || window['parley:widget']) return;
  window['parley:widget'] = true;
  var data = script.dataset;
  var options = {
    server: new URL(script.src, window.location.href).origin,
    title: data.title || 'Chat with us',
    welcome: data.welcome || '',
    userId: '',
    userHash: '',
    /** Tells the page: an event on the script tag (e.g. parley:identity-error). */
    notify: function (name, detail) {
      script.dispatchEvent(new CustomEvent(name, { detail: detail }));
    }
  };
  // A signed-in customer: the site's server renders their id and its userHash into the tag.
  if (data.userId && data.userHash) {
    options.userId = data.userId;
    options.userHash = data.userHash;
  } else if (data.userId) {
    console.warn('Parley widget: data-user-id needs data-user-hash (made by your server); chatting as an anonymous visitor.');
  }
  if (document.body) startChat(options);
  else document.addEventListener('DOMContentLoaded', function () { startChat(options); });
`;
