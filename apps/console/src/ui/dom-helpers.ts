/**
 * The console pages' shared DOM helpers, pasted into each page's script (they run in the page's
 * own closure). `el` builds an element: `text` becomes textContent, `on…` a listener, a few known
 * properties are set as such, anything else as an attribute; string children become text nodes.
 * No HTML string ever reaches the page.
 */
export const DOM_HELPERS = String.raw`
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
`;
