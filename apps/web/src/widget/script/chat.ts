/**
 * Widget script, part: the conversation: identity, sending, the live stream and the transcript, shown once each.
 * Plain browser JavaScript (ES2017) without backticks, run inside the function that
 * widget-script.ts wraps the parts in (they share its scope).
 */
export const CHAT_JS = String.raw`
  // ---- Chat: the conversation, kept consistent with the server ---------------------------------
  // Every message has the server's id; one is shown once however it arrives (the stream's
  // "replies" event, which is at least once, or the transcript fetched after each (re)connect).

  /** Which identity to use: the signed-in customer the page names, else the stored visitor. */
  function initialState(stored, options) {
    if (options.userId) {
      if (stored && stored.customer && stored.userId === options.userId) return stored;
      return { userId: options.userId, customer: true };
    }
    // A customer who signed out leaves nothing behind for whoever uses the browser next.
    if (stored && !stored.customer && stored.visitorToken) return stored;
    return null;
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function startChat(options) {
    var store = createStore(options.server);
    var api = createApi(options.server);
    var state = initialState(store.load(), options);
    store.save(state);

    var shown = {}; // message id -> { element, message }
    var awaiting = {}; // customer message id -> when sent, until its replies are shown
    var typing = {}; // customer message id -> true while the assistant works on it
    var drafts = {}; // customer message id -> { parts: [text by seq], element }
    var answered = {}; // customer message id -> true once its replies are shown
    var pending = []; // { element, text } of messages sent but not yet acknowledged
    var unread = 0;
    var sends = Promise.resolve(); // messages go out one after another, in the order typed
    var syncing = null;
    var syncAgain = false;
    var restoring = false; // merging a transcript: it counts unread messages itself
    var initialLoad = true; // the first transcript is history: only what came after reading is unread
    var identityErrorSent = false;

    var view = createView(options, {
      send: send,
      opened: function () {
        unread = 0;
        view.setUnread(0);
        markRead();
        save({ open: true });
      },
      closed: function () {
        save({ open: false });
      }
    });
    var stream = createStream(options.server, {
      open: sync,
      // A socket refused before it opened may be a credential or a conversation gone: the
      // transcript request says which, in words.
      closed: function (opened) {
        if (!opened) sync();
      },
      event: onEvent
    });

    function save(changes) {
      if (!state) return;
      Object.keys(changes || {}).forEach(function (name) {
        state[name] = changes[name];
      });
      store.save(state);
    }

    function credential() {
      if (!state) return {};
      return state.customer ? { userHash: options.userHash } : { visitorToken: state.visitorToken };
    }

    function follow() {
      if (state && state.conversationId) stream.follow(state.conversationId, credential());
    }

    // -- showing messages --

    function show(message, after) {
      if (shown[message.id]) return shown[message.id].element;
      var element = view.addMessage(message, after);
      element.setAttribute('data-id', message.id);
      shown[message.id] = { element: element, message: message };
      if (message.role !== 'user') {
        if (view.isOpen()) markRead();
        else if (!restoring) view.setUnread((unread += 1));
      }
      return element;
    }

    /** The turn for customer message "id" is over: its draft and typing indicator go. */
    function finishTurn(id) {
      if (!id) return;
      answered[id] = true;
      delete awaiting[id];
      delete typing[id];
      if (drafts[id]) view.remove(drafts[id].element);
      delete drafts[id];
    }

    function refresh() {
      var busy = Object.keys(awaiting).concat(Object.keys(typing)).some(function (id) {
        return !answered[id] && !(drafts[id] && drafts[id].element);
      });
      view.setTyping(busy);
      var last = view.lastMessage();
      var entry = last && shown[last.getAttribute('data-id')];
      var offered = entry && entry.message.role !== 'user' && entry.message.quickReplies;
      view.setQuickReplies(offered || []);
    }

    /** Remembers the last reply on screen as read, so only later ones count as unread. */
    function markRead() {
      var last = view.lastMessage(true);
      var id = last && last.getAttribute('data-id');
      if (id && id !== (state && state.readUpTo)) save({ readUpTo: id });
    }

    // -- the live stream --

    function onEvent(event) {
      if (!event || !state || event.conversationId !== state.conversationId) return;
      if (event.type === 'typing') {
        if (!answered[event.inReplyTo]) typing[event.inReplyTo] = true;
      } else if (event.type === 'delta') {
        onDelta(event);
      } else if (event.type === 'replies') {
        finishTurn(event.inReplyTo);
        (event.replies || []).forEach(function (reply) {
          show(reply);
        });
        // Sent from another tab or device: the customer's message is in the transcript.
        if (event.inReplyTo && !shown[event.inReplyTo]) sync();
      }
      refresh();
    }

    /** Fragments joined in seq order are the draft; shown from the first one on, without gaps. */
    function onDelta(event) {
      if (answered[event.inReplyTo]) return;
      var draft = drafts[event.inReplyTo] || (drafts[event.inReplyTo] = { parts: [], element: null });
      draft.parts[event.seq] = event.text;
      var text = '';
      for (var i = 0; i < draft.parts.length && draft.parts[i] !== undefined; i++) text += draft.parts[i];
      if (!text) return;
      if (!draft.element) draft.element = view.draft();
      view.setDraft(draft.element, text);
    }

    // -- the transcript: history on load, and whatever the stream missed --

    function sync() {
      if (syncing) {
        syncAgain = true;
        return syncing;
      }
      syncing = sends.then(fetchTranscript).then(function () {
        syncing = null;
        if (syncAgain) {
          syncAgain = false;
          return sync();
        }
      });
      return syncing;
    }

    function fetchTranscript() {
      if (!state || !state.conversationId) return null;
      var conversationId = state.conversationId;
      return api.transcript(conversationId, credential()).then(function (result) {
        if (!state || state.conversationId !== conversationId) return;
        if (result.status === 200) return merge(result.data.messages || []);
        if (result.status === 0) return;
        if (recoverIdentity(result.error) || customerRefused(result.error)) return;
        if (result.error.code === 'conversation_not_found') {
          stream.stop();
          save({ conversationId: null });
        }
      });
    }

    /** Adds what is missing, each after the message it follows in the transcript. */
    function merge(messages) {
      var previous = null;
      var readUpTo = state.readUpTo;
      restoring = true;
      var unreadBefore = unread;
      var afterRead = false;
      messages.forEach(function (message) {
        if (message.role === 'tool') return;
        var known = !!shown[message.id];
        previous = (!known && message.role === 'user' && adopt(message)) || show(message, previous);
        if (message.inReplyTo) finishTurn(message.inReplyTo);
        // Replies that arrived while nobody was looking (this tab was closed or offline).
        if (!known && message.role !== 'user' && !view.isOpen() && (afterRead || !initialLoad)) unread += 1;
        if (message.id === readUpTo) afterRead = true;
      });
      restoring = false;
      initialLoad = false;
      if (unread !== unreadBefore) view.setUnread(unread);
      if (view.isOpen()) markRead();
      refresh();
    }

    /** A transcript fetched while a message was on its way may hold it: adopt the shown one. */
    function adopt(message) {
      for (var i = 0; i < pending.length; i++) {
        if (pending[i].text === message.text) {
          var element = pending[i].element;
          pending.splice(i, 1);
          element.setAttribute('data-id', message.id);
          shown[message.id] = { element: element, message: message };
          return element;
        }
      }
      return null;
    }

    // -- sending --

    function send(text) {
      var element = view.addMessage({ role: 'user', text: text });
      element.classList.add('sending');
      pending.push({ element: element, text: text });
      view.setQuickReplies([]);
      deliver(text, element, randomId(), true);
    }

    function deliver(text, element, key, mayRetry) {
      sends = sends.then(function () {
        return ensureIdentity().then(function (problem) {
          if (problem) return problem;
          var body = { userId: state.userId, text: text };
          if (state.conversationId) body.conversationId = state.conversationId;
          var proof = credential();
          Object.keys(proof).forEach(function (name) {
            body[name] = proof[name];
          });
          return api.post(body, key);
        }).then(function (result) {
          if (result.status === 202 || result.status === 200) return accepted(result.data, element);
          element.classList.remove('sending');
          if (result.status === 0) return view.failed(element, function () { deliver(text, element, key, mayRetry); });
          if (mayRetry && startOver(result.error)) {
            // A new visitor starts with an empty conversation: the message goes there, shown again.
            if (!element.isConnected) {
              element = view.addMessage({ role: 'user', text: text });
              pending.push({ element: element, text: text });
            }
            element.classList.add('sending');
            return deliver(text, element, randomId(), false);
          }
          if (customerRefused(result.error)) {
            view.notice('Sorry, we could not confirm who you are. Please sign in again.');
          } else if (result.error.code === 'visitor_tokens_off' || result.error.code === 'origin_not_allowed') {
            // The site's set-up, not the customer's doing: say so in the console, not the chat.
            console.warn('Parley widget: ' + result.error.message);
            view.notice('Sorry, the chat is not available right now.');
          } else {
            view.notice('Sorry: ' + result.error.message);
          }
          view.failed(element, function () { deliver(text, element, key, mayRetry); });
        });
      });
    }

    function accepted(data, element) {
      pending = pending.filter(function (entry) {
        return entry.element !== element;
      });
      element.classList.remove('sending');
      element.setAttribute('data-id', data.messageId);
      shown[data.messageId] = { element: element, message: { id: data.messageId, role: 'user' } };
      if (!answered[data.messageId]) awaiting[data.messageId] = Date.now();
      if (state.conversationId !== data.conversationId) save({ conversationId: data.conversationId });
      follow();
      refresh();
    }

    /** A visitor identity for the first message; resolves with null, or a failed result. */
    function ensureIdentity() {
      if (state) return Promise.resolve(null);
      return api.newVisitor().then(function (result) {
        var data = result.data;
        if (result.status === 200 && data && data.userId && data.visitorToken) {
          state = { userId: data.userId, visitorToken: data.visitorToken, customer: false, open: view.isOpen() };
          store.save(state);
          return null;
        }
        var unexpected = { code: 'unexpected', message: 'The chat server gave an unexpected answer.' };
        return { status: result.status === 200 ? 500 : result.status, data: null, error: result.error || unexpected };
      });
    }

    /**
     * Whether the message can go again after "error": the conversation is closed or gone (a new
     * one starts), or the visitor identity is no longer valid (a new visitor starts).
     */
    function startOver(error) {
      if (recoverIdentity(error)) return true;
      if (error.code === 'conversation_not_found' || error.code === 'conversation_closed') {
        stream.stop();
        save({ conversationId: null });
        view.notice('A new conversation starts here.');
        return true;
      }
      return false;
    }

    /** A visitor's token no longer works (e.g. the server's key changed): become a new visitor. */
    function recoverIdentity(error) {
      var visitor = state && !state.customer;
      var codes = ['visitor_token_invalid', 'visitor_token_required'];
      if (!visitor || !error || codes.indexOf(error.code) < 0) return false;
      stream.stop();
      state = null;
      store.save(null);
      shown = {};
      pending = [];
      awaiting = {};
      typing = {};
      drafts = {};
      answered = {};
      view.clear();
      view.notice('Your previous chat has expired, so a new one starts here.');
      refresh();
      return true;
    }

    /**
     * The server refused the signed-in customer's userHash (wrong, or its key changed): only the
     * site can mend that, so it hears of it as a "parley:identity-error" event on the script tag.
     */
    function customerRefused(error) {
      var codes = ['identity_invalid', 'identity_required', 'identity_verification_off'];
      if (!state || !state.customer || !error || codes.indexOf(error.code) < 0) return false;
      if (!identityErrorSent) options.notify('parley:identity-error', { code: error.code, message: error.message });
      identityErrorSent = true;
      return true;
    }

    // Replies the stream did not bring (it is down, or a pub/sub message was lost): ask the
    // transcript, often while offline, now and then while connected.
    setInterval(function () {
      var now = Date.now();
      var oldest = Object.keys(awaiting).reduce(function (min, id) {
        return Math.min(min, awaiting[id]);
      }, now);
      if (oldest === now) return;
      if (!stream.isOpen() ? now - oldest > 3000 : now - oldest > 15000) sync();
      // Give up the typing indicator on a turn that never answered.
      Object.keys(awaiting).forEach(function (id) {
        if (now - awaiting[id] > 120000) finishTurn(id);
      });
      refresh();
    }, 3000);

    if (options.welcome) view.welcome(options.welcome);
    document.body.appendChild(view.host);
    if (state && state.open) view.setOpen(true, false);
    if (state && state.conversationId) {
      sync();
      follow();
    } else {
      initialLoad = false;
    }
    refresh();
  }
`;
