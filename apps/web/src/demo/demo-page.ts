/**
 * A plain demo chat page on the web app's root, so `npm start` gives something to open in a
 * browser. The embeddable widget replaces it in a later release. Text is rendered with
 * textContent only (never innerHTML), and the page runs under a CSP that forbids inline script.
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
  <h1>Parley demo assistant</h1>
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
h1 { font-size: 1.3rem; margin: .5rem 0; }
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
  var log = document.getElementById('log');
  var suggestions = document.getElementById('suggestions');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var userId = localStorage.getItem('parley.userId');
  if (!userId) { userId = 'web-' + crypto.randomUUID(); localStorage.setItem('parley.userId', userId); }
  var conversationId = localStorage.getItem('parley.conversationId');

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
    var body = { userId: userId, text: text };
    if (conversationId) body.conversationId = conversationId;
    fetch('/api/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      pending.remove();
      if (result.data.error) {
        if (result.data.error.code === 'conversation_not_found' || result.data.error.code === 'conversation_closed') {
          conversationId = null; localStorage.removeItem('parley.conversationId');
        }
        add('assistant', 'Sorry: ' + result.data.error.message);
        return;
      }
      conversationId = result.data.conversationId;
      localStorage.setItem('parley.conversationId', conversationId);
      if (result.status === 202) { add('assistant', 'Still working on it, the reply will appear in your history.'); return; }
      var last = [];
      result.data.replies.forEach(function (reply) { add('assistant', reply.text); last = reply.quickReplies || []; });
      showSuggestions(last);
    }).catch(function () {
      pending.remove();
      add('assistant', 'The connection failed. Please try again.');
    });
  }

  if (conversationId) {
    fetch('/api/v1/conversations/' + encodeURIComponent(conversationId) + '/messages')
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (!t) { conversationId = null; localStorage.removeItem('parley.conversationId'); return; }
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
