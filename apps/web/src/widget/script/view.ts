/**
 * Widget script, part: the bubble and the panel, built in a shadow root, with their keyboard and ARIA behaviour.
 * Plain browser JavaScript (ES2017) without backticks, run inside the function that
 * widget-script.ts wraps the parts in (they share its scope).
 */
export const VIEW_JS = String.raw`
  // ---- View: the bubble and the panel, in a shadow root ---------------------------------------
  // The host page's CSS cannot reach inside, and ours cannot leak out. Styles are a constructable
  // stylesheet (no inline <style>, so a strict host CSP needs no 'unsafe-inline'), or /widget.css.

  var SVG = 'http://www.w3.org/2000/svg';
  var ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z',
    send: 'M3 20.5 21 12 3 3.5 3 10l12 2-12 2z'
  };
  var WHO = { user: 'You', assistant: 'Assistant', agent: 'Support agent', system: 'Notice' };

  function icon(name) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function adoptStyles(root, server) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      // Browsers without constructable stylesheets load the same rules as a file.
      root.appendChild(h('link', { rel: 'stylesheet', href: server + '/widget.css' }));
    }
  }

  /**
   * Builds the widget's DOM. "actions": send(text), opened(), closed(). Returns the operations
   * the chat needs; it never touches the DOM itself.
   */
  function createView(options, actions) {
    var host = h('div', { 'data-parley-widget': '' });
    var root = host.attachShadow({ mode: 'open' });
    adoptStyles(root, options.server);

    var badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    var launcher = h('button', { type: 'button', class: 'launcher', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'parley-panel' }, [icon('chat'), badge]);
    var closeButton = h('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, [icon('close')]);
    var log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation', tabindex: '0' });
    var typing = h('div', { class: 'typing', role: 'status', 'aria-live': 'polite' });
    var quick = h('div', { class: 'quick', role: 'group', 'aria-label': 'Suggested replies', hidden: true });
    var input = h('textarea', { id: 'parley-input', rows: '1', maxlength: '4000', placeholder: 'Type your message', autocomplete: 'off' });
    var sendButton = h('button', { type: 'submit', class: 'send', 'aria-label': 'Send message' }, [icon('send')]);
    var form = h('form', { class: 'composer' }, [h('label', { for: 'parley-input', class: 'sr', text: 'Your message' }), input, sendButton]);
    var panel = h('div', { id: 'parley-panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'parley-title', hidden: true }, [
      h('div', { class: 'header' }, [h('h2', { id: 'parley-title', text: options.title }), closeButton]),
      log,
      typing,
      quick,
      form
    ]);
    root.appendChild(h('div', { class: 'root' }, [launcher, panel]));

    var unread = 0;
    var welcome = null;
    var quickShown = '[]';
    var typingShown = false;
    function label() {
      var text = panel.hidden ? 'Open chat' : 'Close chat';
      if (unread > 0) text += ', ' + unread + (unread === 1 ? ' unread message' : ' unread messages');
      launcher.setAttribute('aria-label', text);
    }
    label();

    function setOpen(open, focus) {
      if (open === !panel.hidden) return;
      panel.hidden = !open;
      launcher.setAttribute('aria-expanded', String(open));
      label();
      if (open) {
        scrollToEnd(true);
        if (focus) input.focus();
        actions.opened();
      } else {
        if (focus) launcher.focus();
        actions.closed();
      }
    }

    function nearEnd() {
      return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    }
    function scrollToEnd(force) {
      if (force || nearEnd()) log.scrollTop = log.scrollHeight;
    }

    function submit() {
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      input.style.height = '';
      actions.send(text);
    }

    launcher.addEventListener('click', function () {
      setOpen(panel.hidden, true);
    });
    closeButton.addEventListener('click', function () {
      setOpen(false, true);
    });
    panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false, true);
      }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submit();
    });
    input.addEventListener('keydown', function (event) {
      // Enter sends, Shift+Enter starts a new line; not while an input method is composing.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    input.addEventListener('input', function () {
      input.style.height = '';
      input.style.height = Math.min(input.scrollHeight, 120) + 'px';
    });

    return {
      host: host,
      isOpen: function () {
        return !panel.hidden;
      },
      setOpen: setOpen,
      /** Shows a message; after "after" (null: first), or at the end when "after" is undefined. */
      addMessage: function (message, after) {
        var role = WHO[message.role] ? message.role : 'assistant';
        var body = h('div', { class: 'text' });
        renderRich(body, message.text);
        var element = h('div', { class: 'msg ' + role }, [h('span', { class: role === 'agent' ? 'who' : 'sr', text: WHO[role] + ': ' }), body]);
        if (after === undefined) log.appendChild(element);
        else log.insertBefore(element, after ? after.nextSibling : welcome ? welcome.nextSibling : log.firstChild);
        scrollToEnd(role === 'user');
        return element;
      },
      /** The live draft of a reply being written; hidden from screen readers until it is final. */
      draft: function () {
        var element = h('div', { class: 'msg assistant draft', 'aria-hidden': 'true' }, [h('div', { class: 'text' })]);
        log.appendChild(element);
        return element;
      },
      setDraft: function (element, text) {
        renderRich(element.firstChild, text);
        scrollToEnd(false);
      },
      notice: function (text) {
        log.appendChild(h('div', { class: 'notice', text: text }));
        scrollToEnd(true);
      },
      remove: function (element) {
        if (element && element.parentNode) element.parentNode.removeChild(element);
      },
      /** A greeting from the page (data-welcome), above the conversation; not stored anywhere. */
      welcome: function (text) {
        welcome = h('div', { class: 'msg assistant welcome' }, [h('div', { class: 'text', text: text })]);
        log.insertBefore(welcome, log.firstChild);
      },
      clear: function () {
        log.replaceChildren.apply(log, welcome ? [welcome] : []);
      },
      /** The last message shown (drafts, notices and the greeting aside), or the last reply. */
      lastMessage: function (repliesOnly) {
        for (var element = log.lastElementChild; element; element = element.previousElementSibling) {
          var kind = element.classList;
          var message = kind.contains('msg') && !kind.contains('draft') && !kind.contains('welcome');
          if (message && !(repliesOnly && kind.contains('user'))) return element;
        }
        return null;
      },
      setQuickReplies: function (labels) {
        // Unchanged offers keep their buttons, so keyboard focus on one is not lost.
        if (JSON.stringify(labels) === quickShown) return;
        quickShown = JSON.stringify(labels);
        quick.replaceChildren.apply(quick, labels.map(function (text) {
          var button = h('button', { type: 'button', text: text });
          button.addEventListener('click', function () {
            actions.send(text);
            input.focus();
          });
          return button;
        }));
        quick.hidden = labels.length === 0;
      },
      setTyping: function (on) {
        if (on === typingShown) return; // a live region announces every change
        typingShown = on;
        typing.classList.toggle('on', on);
        typing.replaceChildren.apply(typing, on ? [h('span', { class: 'dots', 'aria-hidden': 'true' }, [h('i'), h('i'), h('i')]), h('span', { class: 'sr', text: 'The assistant is typing' })] : []);
      },
      setUnread: function (count) {
        unread = count;
        badge.textContent = count > 9 ? '9+' : String(count);
        badge.hidden = count === 0;
        label();
      },
      /** Marks a message as not sent, with a button that tries again. */
      failed: function (element, retry) {
        element.classList.add('failed');
        var button = h('button', { type: 'button', class: 'retry', text: 'Not sent. Retry' });
        button.addEventListener('click', function () {
          element.classList.remove('failed');
          element.removeChild(button);
          retry();
        });
        element.appendChild(button);
      },
      scrollToEnd: scrollToEnd
    };
  }
`;
