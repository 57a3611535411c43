/**
 * The console pages' shared helpers, pasted into each page's script (they run in the page's own
 * closure). `el` builds an element: `text` becomes textContent, `on…` a listener, a few known
 * properties are set as such, anything else as an attribute; string children become text nodes.
 * No HTML string ever reaches the page. `consoleApi` calls the JSON API. `pct` and `num` show
 * figures, a dash where there is none.
 */
export const PAGE_HELPERS = String.raw`
  var ELEMENT_PROPERTIES = ['className', 'type', 'value', 'name', 'href', 'placeholder', 'autocomplete'];
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') node.textContent = props[k];
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), props[k]);
      else if (ELEMENT_PROPERTIES.indexOf(k) >= 0) node[k] = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // A function calling the console's JSON API: the CSRF token (csrf()) on every change, the
  // server's message as the error of a failed call, signedOut() on a 401 (but for /login's own).
  function consoleApi(csrf, signedOut) {
    return function (method, path, body) {
      var headers = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (method !== 'GET') headers['x-csrf-token'] = csrf();
      return fetch('/console/api' + path, { method: method, headers: headers,
        credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
        .then(function (res) {
          if (res.status === 204) return {};
          if (res.status === 401 && path !== '/login') { signedOut(); throw new Error('Sign in first.'); }
          return res.json().then(function (data) {
            if (!res.ok) throw new Error((data.error && data.error.message) || 'Request failed');
            return data;
          });
        });
    };
  }
  function toSignIn() { location.href = '/console'; }

  function pct(x) { return x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%'; }
  function num(x, digits) { return x === null || x === undefined ? '—' : Number(x).toFixed(digits || 0); }
`;
