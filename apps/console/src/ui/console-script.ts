import { PAGE_HELPERS } from './page-helpers';

/**
 * The console's script. Plain JS under a strict CSP: no inline code, no HTML strings; every
 * piece of text reaches the page through textContent.
 */
export const CONSOLE_JS = String.raw`'use strict';
(function () {
  var API = '/console/api';
  var state = { me: null, csrf: '', stream: null, seen: {}, timers: [] };
  var app = document.getElementById('app');
  var who = document.getElementById('who');

${PAGE_HELPERS}
  var api = consoleApi(function () { return state.csrf; }, function () { showLogin(); });

  function reset() {
    if (state.stream) { state.stream.close(); state.stream = null; }
    state.timers.forEach(clearInterval); state.timers = [];
    clear(app);
  }

  function showLogin(message) {
    reset(); state.me = null; clear(who);
    var error = el('p', { className: 'error', text: message || '' });
    var email = el('input', { type: 'email', name: 'email', placeholder: 'Email', autocomplete: 'username', required: '' });
    var password = el('input', { type: 'password', name: 'password', placeholder: 'Password', autocomplete: 'current-password', required: '' });
    var form = el('form', { className: 'login', onsubmit: function (e) {
      e.preventDefault();
      api('POST', '/login', { email: email.value, password: password.value })
        .then(signedIn).catch(function (err) { error.textContent = err.message; });
    } }, [el('h2', { text: 'Sign in' }), email, password, el('button', { type: 'submit', text: 'Sign in' }), error]);
    app.appendChild(form);
  }

  function signedIn(me) {
    state.me = me.agent; state.csrf = me.csrfToken;
    clear(who);
    who.appendChild(el('a', { href: '/console/analytics', text: 'Analytics' }));
    who.appendChild(el('a', { href: '/console/experiments', text: 'Experiments' }));
    who.appendChild(el('span', { text: ' ' + me.agent.name + ' (' + me.agent.role + ')' }));
    who.appendChild(el('button', { text: 'Sign out', onclick: function () {
      api('POST', '/logout').then(function () { showLogin(); });
    } }));
    route();
  }

  function sla(ticket) {
    if (!ticket.slaDueAt) return '—';
    if (ticket.claimedAt) return ticket.slaBreached ? 'claimed late' : 'claimed in time';
    var ms = new Date(ticket.slaDueAt).getTime() - Date.now();
    var abs = Math.abs(ms), m = Math.floor(abs / 60000), s = Math.floor((abs % 60000) / 1000);
    var text = m + 'm ' + (s < 10 ? '0' : '') + s + 's';
    return ms < 0 ? 'overdue ' + text : text;
  }

  function inbox() {
    reset();
    var status = el('select', { name: 'status' }, ['', 'open', 'claimed', 'resolved'].map(function (v) {
      return el('option', { value: v, text: v || 'unresolved' }); }));
    var assigned = el('select', { name: 'assigned' }, ['any', 'me', 'unassigned'].map(function (v) {
      return el('option', { value: v, text: v }); }));
    var q = el('input', { type: 'search', name: 'q', placeholder: 'Filter by reason' });
    var body = el('tbody');
    var search = el('input', { type: 'search', name: 'search', placeholder: 'Search transcripts' });
    var results = el('ul');
    function load() {
      var params = new URLSearchParams();
      if (status.value) params.set('status', status.value);
      params.set('assigned', assigned.value);
      if (q.value) params.set('q', q.value);
      api('GET', '/tickets?' + params.toString()).then(function (data) {
        clear(body);
        data.tickets.forEach(function (t) {
          var slaCell = el('td', { className: 'sla', text: sla(t) });
          var row = el('tr', { className: t.slaBreached ? 'breached' : '', 'data-ticket': t.id }, [
            el('td', { text: String(t.priority) }),
            el('td', {}, [el('a', { href: '#/t/' + t.id, text: t.reason })]),
            el('td', { text: t.channel }),
            el('td', { text: t.status }),
            el('td', { text: t.assignedAgentName || '—' }),
            slaCell]);
          row._ticket = t; row._sla = slaCell;
          body.appendChild(row);
        });
      });
    }
    state.timers.push(setInterval(function () {
      Array.prototype.forEach.call(body.children, function (row) {
        var t = row._ticket;
        if (t.slaDueAt && !t.claimedAt && new Date(t.slaDueAt).getTime() < Date.now()) row.className = 'breached';
        row._sla.textContent = sla(t);
      });
    }, 1000));
    state.timers.push(setInterval(load, 10000));
    [status, assigned].forEach(function (s) { s.addEventListener('change', load); });
    q.addEventListener('input', load);
    var searchForm = el('form', { onsubmit: function (e) {
      e.preventDefault();
      api('GET', '/search?q=' + encodeURIComponent(search.value)).then(function (data) {
        clear(results);
        data.results.forEach(function (r) {
          var item = el('li', {}, [el('span', { text: r.role + ': ' + r.text + ' ' })]);
          if (r.ticketId) item.appendChild(el('a', { href: '#/t/' + r.ticketId, text: 'open ticket' }));
          results.appendChild(item);
        });
      }).catch(function (err) { clear(results); results.appendChild(el('li', { className: 'error', text: err.message })); });
    } }, [search, el('button', { type: 'submit', text: 'Search' })]);
    app.appendChild(el('h2', { text: 'Inbox' }));
    app.appendChild(el('div', { className: 'filters' }, [status, assigned, q]));
    app.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['P', 'Reason', 'Channel', 'Status', 'Agent', 'SLA'].map(function (h) {
      return el('th', { text: h }); }))]), body]));
    app.appendChild(el('h3', { text: 'Transcript search' }));
    app.appendChild(searchForm);
    app.appendChild(results);
    load();
  }

  function ticketPage(id) {
    reset(); state.seen = {};
    var title = el('h2', { text: 'Ticket' });
    var info = el('p');
    var error = el('p', { className: 'error' });
    var messages = el('div', { className: 'messages', id: 'messages' });
    var notes = el('div');
    var replyText = el('textarea', { name: 'reply', placeholder: 'Reply to the customer' });
    var noteText = el('textarea', { name: 'note', placeholder: 'Internal note (the customer never sees it)' });
    function fail(err) { error.textContent = err.message; }
    function addMessage(m) {
      if (state.seen[m.id]) return;
      state.seen[m.id] = true;
      messages.appendChild(el('div', { className: 'msg ' + m.role }, [
        el('div', { className: 'meta', text: m.role + ' · ' + new Date(m.createdAt).toLocaleTimeString() + (m.deliveryStatus ? ' · ' + m.deliveryStatus : '') }),
        el('div', { text: m.text })]));
      messages.scrollTop = messages.scrollHeight;
    }
    function addNote(n) {
      notes.appendChild(el('div', { className: 'note', text: (n.agentName || 'me') + ': ' + n.text }));
    }
    function showTicket(t) {
      title.textContent = t.reason;
      info.textContent = 'Status: ' + t.status + ' · Agent: ' + (t.assignedAgentName || 'nobody') +
        ' · Priority ' + t.priority + ' · Channel ' + t.channel + (t.summary ? ' · ' + t.summary : '');
    }
    var actions = el('div', { className: 'actions' }, [
      el('a', { href: '#/', text: '← Inbox' }),
      el('button', { id: 'claim', text: 'Claim', onclick: function () {
        api('POST', '/tickets/' + id + '/claim').then(reload).catch(fail); } }),
      el('button', { id: 'resolve', text: 'Resolve and hand back', onclick: function () {
        api('POST', '/tickets/' + id + '/resolve').then(reload).catch(fail); } })]);
    var replyForm = el('form', { onsubmit: function (e) {
      e.preventDefault();
      api('POST', '/tickets/' + id + '/reply', { text: replyText.value })
        .then(function () { replyText.value = ''; error.textContent = ''; }).catch(fail);
    } }, [replyText, el('button', { type: 'submit', text: 'Send reply' })]);
    var noteForm = el('form', { onsubmit: function (e) {
      e.preventDefault();
      api('POST', '/tickets/' + id + '/notes', { text: noteText.value })
        .then(function (n) { noteText.value = ''; addNote(n); }).catch(fail);
    } }, [noteText, el('button', { type: 'submit', text: 'Add note' })]);
    app.appendChild(title); app.appendChild(info); app.appendChild(actions); app.appendChild(error);
    app.appendChild(el('div', { className: 'cols' }, [
      el('div', {}, [messages, replyForm]),
      el('div', {}, [el('h3', { text: 'Notes' }), notes, noteForm])]));
    function reload() {
      return api('GET', '/tickets/' + id).then(function (data) {
        showTicket(data.ticket);
        clear(notes); data.notes.forEach(addNote);
        data.messages.forEach(addMessage);
        return data;
      });
    }
    reload().then(function (data) {
      var last = data.messages.length ? data.messages[data.messages.length - 1].seq : 0;
      var stream = new EventSource(API + '/tickets/' + id + '/events?after=' + last);
      stream.addEventListener('message', function (e) { addMessage(JSON.parse(e.data)); });
      stream.addEventListener('ticket', function (e) { var t = JSON.parse(e.data); if (t) showTicket(t); });
      stream.addEventListener('signed-out', function () { showLogin('Your session ended.'); });
      state.stream = stream;
    }).catch(fail);
  }

  function route() {
    if (!state.me) return;
    var match = /^#\/t\/([0-9a-f-]{36})$/.exec(location.hash);
    if (match) ticketPage(match[1]); else inbox();
  }

  window.addEventListener('hashchange', route);
  fetch(API + '/me', { credentials: 'same-origin' }).then(function (res) {
    if (res.ok) return res.json().then(signedIn);
    showLogin();
  }).catch(function () { showLogin('The console is unreachable.'); });
})();
`;
