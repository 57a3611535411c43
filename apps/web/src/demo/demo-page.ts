/**
 * A plain demo chat page on the web app's root, so `npm start` gives something to open in a
 * browser. The embeddable widget replaces it in a later release. Text is rendered with
 * textContent only (never innerHTML), and the page runs under a CSP that forbids inline script.
 * With WEB_DEMO_SIGN_IN it can also play a customer the shop's site has logged in (a userHash from
 * POST /demo/sign-in, sent with every message); otherwise everyone is an anonymous visitor.
 */
export const DEMO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley demo</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<main>
  <header>
    <h1>Parley demo assistant</h1>
    <div id="identity" hidden>
      <span id="identity-status" aria-live="polite"></span>
      <button type="button" id="sign-in" hidden>Sign in as a demo customer</button>
      <button type="button" id="sign-out" hidden>Sign out</button>
    </div>
  </header>
  <p class="hint">Ask about shipping, returns, refunds, payments or your account.</p>
  <ol id="log" role="log" aria-live="polite" aria-label="Conversation"></ol>
  <div id="suggestions" role="group" aria-label="Suggested replies"></div>
  <form id="composer">
    <label for="text" class="visually-hidden">Your message</label>
    <input id="text" name="text" autocomplete="off" maxlength="4000" placeholder="Type a message" required>
    <button type="submit">Send</button>
  </form>
</main>
<script src="/demo.js"></script>
</body>
</html>`;

export const DEMO_CSS = `
body { font: 16px/1.45 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1f23; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
[hidden] { display: none !important; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .25rem .75rem; }
h1 { font-size: 1.3rem; margin: .5rem 0; }
#identity { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; font-size: .9rem; }
#identity.signed-in #identity-status { color: #17663a; font-weight: 600; }
#identity button { min-height: 2.5rem; padding: .3rem .8rem; border: 1px solid #2450d8; background: #fff; color: #2450d8; border-radius: .5rem; font: inherit; cursor: pointer; }
#identity button:disabled { opacity: .6; cursor: progress; }
.hint { color: #555; margin-top: 0; }
#log { list-style: none; padding: 0; min-height: 40vh; }
#log li { margin: .4rem 0; padding: .55rem .8rem; border-radius: .8rem; max-width: 85%; white-space: pre-wrap; }
#log li.user { background: #2450d8; color: #fff; margin-left: auto; }
#log li.assistant { background: #fff; border: 1px solid #dde; }
#log li.pending { color: #777; font-style: italic; }
#suggestions button { margin: 0 .3rem .3rem 0; border: 1px solid #2450d8; background: #fff; color: #2450d8; border-radius: 1rem; padding: .3rem .7rem; cursor: pointer; }
form { display: flex; gap: .5rem; }
input { flex: 1; padding: .6rem; border: 1px solid #bbc; border-radius: .5rem; font: inherit; }
button[type=submit] { padding: .6rem 1rem; border: 0; border-radius: .5rem; background: #2450d8; color: #fff; font: inherit; cursor: pointer; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

export const DEMO_JS = `'use strict';
(function () {
  var USER_ID = 'parley.userId', USER_HASH = 'parley.userHash', CONVERSATION_ID = 'parley.conversationId';
  var log = document.getElementById('log');
  var suggestions = document.getElementById('suggestions');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var identity = document.getElementById('identity');
  var identityStatus = document.getElementById('identity-status');
  var signInButton = document.getElementById('sign-in');
  var signOutButton = document.getElementById('sign-out');
  // A signed-in demo customer has a userHash (made by the server, playing the shop's backend).
  var userId = localStorage.getItem(USER_ID);
  var userHash = localStorage.getItem(USER_HASH);
  if (!userId) becomeVisitor();
  var conversationId = localStorage.getItem(CONVERSATION_ID);
  var signInAvailable = false;

  function becomeVisitor() {
    userId = 'web-' + crypto.randomUUID();
    userHash = null;
    localStorage.setItem(USER_ID, userId);
    localStorage.removeItem(USER_HASH);
  }

  function forgetConversation() {
    conversationId = null;
    localStorage.removeItem(CONVERSATION_ID);
  }

  function startOver() {
    forgetConversation();
    log.replaceChildren();
    showSuggestions([]);
  }

  function showIdentity() {
    var signedIn = Boolean(userHash);
    identity.hidden = !signedIn && !signInAvailable;
    identity.classList.toggle('signed-in', signedIn);
    identityStatus.textContent = signedIn ? 'Signed in as demo customer' : 'Anonymous visitor';
    signInButton.hidden = signedIn || !signInAvailable;
    signOutButton.hidden = !signedIn;
  }

  function add(role, text) {
    var item = document.createElement('li');
    item.className = role;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  function showSuggestions(list) {
    suggestions.replaceChildren();
    (list || []).forEach(function (label) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      button.addEventListener('click', function () { send(label); });
      suggestions.appendChild(button);
    });
  }

  function send(text) {
    add('user', text);
    showSuggestions([]);
    var pending = add('assistant pending', '…');
    var sentAs = userId;
    var body = { userId: userId, text: text };
    if (userHash) body.userHash = userHash;
    if (conversationId) body.conversationId = conversationId;
    fetch('/api/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      pending.remove();
      // Signed in or out while this was under way: the answer belongs to the previous identity.
      if (sentAs !== userId) return;
      if (result.data.error) {
        var code = result.data.error.code;
        if (code === 'identity_invalid' || code === 'identity_verification_off') {
          // The server's identity key changed (e.g. a restart of npm start): the sign-in is void.
          becomeVisitor();
          startOver();
          showIdentity();
          add('assistant', 'Your demo sign-in is no longer valid, so you are an anonymous visitor again. Please send your message again, or sign in again.');
          return;
        }
        if (code === 'conversation_not_found' || code === 'conversation_closed') forgetConversation();
        add('assistant', 'Sorry: ' + result.data.error.message);
        return;
      }
      conversationId = result.data.conversationId;
      localStorage.setItem(CONVERSATION_ID, conversationId);
      if (result.status === 202) { add('assistant', 'Still working on it, the reply will appear in your history.'); return; }
      var last = [];
      result.data.replies.forEach(function (reply) { add('assistant', reply.text); last = reply.quickReplies || []; });
      showSuggestions(last);
    }).catch(function () {
      pending.remove();
      add('assistant', 'The connection failed. Please try again.');
    });
  }

  signInButton.addEventListener('click', function () {
    signInButton.disabled = true;
    fetch('/demo/sign-in', { method: 'POST' }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        add('assistant', 'Sorry: ' + (result.data.error ? result.data.error.message : 'sign-in failed.'));
        return;
      }
      userId = result.data.userId;
      userHash = result.data.userHash;
      localStorage.setItem(USER_ID, userId);
      localStorage.setItem(USER_HASH, userHash);
      startOver();
      showIdentity();
      input.focus();
    }).catch(function () {
      add('assistant', 'The connection failed. Please try again.');
    }).then(function () {
      signInButton.disabled = false;
    });
  });

  signOutButton.addEventListener('click', function () {
    becomeVisitor();
    startOver();
    showIdentity();
    (signInButton.hidden ? input : signInButton).focus();
  });

  showIdentity();
  fetch('/demo/config')
    .then(function (r) { return r.ok ? r.json() : { signIn: false }; })
    .then(function (c) { signInAvailable = Boolean(c.signIn); showIdentity(); })
    .catch(function () { /* no sign-in offered */ });

  if (conversationId) {
    var restoring = conversationId;
    fetch('/api/v1/conversations/' + encodeURIComponent(restoring) + '/messages')
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (conversationId !== restoring) return;
        if (!t) { forgetConversation(); return; }
        t.messages.forEach(function (m) { add(m.role === 'user' ? 'user' : 'assistant', m.text); });
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });
})();
`;
