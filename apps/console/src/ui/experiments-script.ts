import { PAGE_HELPERS } from './page-helpers';

/** The experiments page: the console's stylesheet, its own script. */
export const EXPERIMENTS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Experiments · Parley console</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/experiments.js" defer></script>
</head>
<body>
<header><strong>Experiments</strong><span id="who"></span></header>
<main id="app"><p>Loading…</p></main>
</body>
</html>
`;

/**
 * The experiments page's script. Plain JS under the console's strict CSP, like console.js: text
 * reaches the page through textContent only. Lists the assistant's experiments; admins create
 * (arms as JSON), start and stop them; everyone sees each one's results per arm.
 */
export const EXPERIMENTS_JS = String.raw`'use strict';
(function () {
  var state = { me: null, csrf: '' };
  var app = document.getElementById('app');
  var who = document.getElementById('who');

${PAGE_HELPERS}
  var api = consoleApi(function () { return state.csrf; }, toSignIn);

  function pval(x) { return x === null || x === undefined ? '—' : x < 0.0001 ? '< 0.0001' : x.toFixed(4); }
  function overrides(arm) {
    var o = arm.overrides || {}, parts = [];
    if (o.model) parts.push('model ' + o.model);
    if (o.persona) parts.push('persona ' + Object.keys(o.persona).join(', '));
    if (o.prompt) parts.push('prompt');
    return parts.length ? parts.join('; ') : 'as configured';
  }
  function table(headers, rows) {
    return el('table', {}, [
      el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows.map(function (cells) {
        return el('tr', {}, cells.map(function (c) { return el('td', { text: String(c) }); }));
      }))]);
  }

  function list() {
    clear(app);
    var error = el('p', { className: 'error' });
    var body = el('tbody');
    app.appendChild(el('p', {}, [el('a', { href: '/console', text: '← Inbox' })]));
    app.appendChild(el('h2', { text: 'Experiments' }));
    app.appendChild(error);
    app.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, ['Key', 'Status', 'Arms', 'Started', ''].map(function (h) {
      return el('th', { text: h }); }))]), body]));
    function fail(err) { error.textContent = err.message; }
    function load() {
      api('GET', '/experiments').then(function (data) {
        clear(body);
        data.experiments.forEach(function (x) {
          var actions = el('td');
          actions.appendChild(el('a', { href: '#/x/' + x.id, text: 'Results' }));
          if (state.me.role === 'admin' && x.status !== 'stopped') {
            var next = x.status === 'draft' ? 'start' : 'stop';
            actions.appendChild(el('button', { text: next === 'start' ? 'Start' : 'Stop', 'data-action': next, onclick: function () {
              api('POST', '/experiments/' + x.id + '/' + next).then(load).catch(fail); } }));
          }
          body.appendChild(el('tr', { 'data-experiment': x.id }, [
            el('td', { text: x.key + (x.description ? ' — ' + x.description : '') }),
            el('td', { text: x.status }),
            el('td', { text: x.arms.map(function (a) { return a.name + ' ×' + a.weight + ' (' + overrides(a) + ')'; }).join(' · ') }),
            el('td', { text: x.startedAt ? new Date(x.startedAt).toLocaleString() : '—' }),
            actions]));
        });
      }).catch(fail);
    }
    if (state.me.role === 'admin') {
      var key = el('input', { name: 'key', placeholder: 'key, e.g. model-gpt-4o' });
      var description = el('input', { name: 'description', placeholder: 'What it tests' });
      var arms = el('textarea', { name: 'arms' });
      arms.value = JSON.stringify([
        { name: 'control', weight: 1 },
        { name: 'treatment', weight: 1, overrides: { model: 'openai:gpt-4o' } }], null, 2);
      app.appendChild(el('h3', { text: 'New experiment' }));
      app.appendChild(el('form', { onsubmit: function (e) {
        e.preventDefault();
        var parsed;
        try { parsed = JSON.parse(arms.value); } catch (err) { return fail(new Error('Arms are not valid JSON.')); }
        api('POST', '/experiments', { key: key.value, description: description.value || undefined, arms: parsed })
          .then(function () { key.value = ''; description.value = ''; error.textContent = ''; load(); }).catch(fail);
      } }, [key, description, arms, el('button', { type: 'submit', text: 'Create draft' })]));
    }
    load();
  }

  function results(id) {
    clear(app);
    var error = el('p', { className: 'error' });
    app.appendChild(el('p', {}, [el('a', { href: '#/', text: '← Experiments' })]));
    api('GET', '/experiments/' + id + '/results').then(function (data) {
      var x = data.experiment;
      app.appendChild(el('h2', { text: x.key + ' (' + x.status + ')' }));
      if (x.description) app.appendChild(el('p', { text: x.description }));
      app.appendChild(table(
        ['Arm', 'Overrides', 'Customers', 'Conversations', 'Containment', 'Escalation', 'CSAT (n)', 'Avg turns', 'Cost / conv.', 'Latency p50'],
        data.arms.map(function (a, i) {
          return [a.arm + (i === 0 ? ' (control)' : ''), overrides(x.arms[i] || {}), a.customers, a.conversations,
            pct(a.containmentRate), pct(a.escalationRate), num(a.csat.mean, 2) + ' (' + a.csat.count + ')',
            num(a.averageTurns, 1), a.costPerConversationUsd === null ? '—' : '$' + num(a.costPerConversationUsd, 4),
            a.latencyP50Ms === null ? '—' : Math.round(a.latencyP50Ms) + ' ms'];
        })));
      app.appendChild(el('h3', { text: 'Against the control' }));
      app.appendChild(table(
        ['Arm', 'Containment p', 'Verdict', 'Escalation p', 'Verdict', 'CSAT p (Welch)', 'Verdict'],
        data.comparisons.map(function (c) {
          return [c.arm, pval(c.containment.pValue), c.containment.verdict, pval(c.escalation.pValue),
            c.escalation.verdict, pval(c.csat.pValue), c.csat.verdict];
        })));
      app.appendChild(el('p', { text: 'Two-sided tests at 95%: two-proportion z-test for the rates, Welch\'s t-test for CSAT. ' +
        'Below ' + data.thresholds.minConversationsPerArm + ' conversations (' + data.thresholds.minRatingsPerArm +
        ' ratings) per arm the verdict is "not enough data".' }));
    }).catch(function (err) { error.textContent = err.message; app.appendChild(error); });
  }

  function route() {
    var match = /^#\/x\/([0-9a-f-]{36})$/.exec(location.hash);
    if (match) results(match[1]); else list();
  }

  window.addEventListener('hashchange', route);
  api('GET', '/me').then(function (me) {
    state.me = me.agent; state.csrf = me.csrfToken;
    who.appendChild(el('span', { text: me.agent.name + ' (' + me.agent.role + ')' }));
    route();
  }).catch(function (err) { app.textContent = err.message; });
})();
`;
