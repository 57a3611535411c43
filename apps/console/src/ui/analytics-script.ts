import { PAGE_HELPERS } from './page-helpers';

/**
 * The analytics dashboard's script. Plain JS under the console's strict CSP, like console.js:
 * text reaches the page through textContent only. Chart.js (window.Chart) draws the charts; a
 * chart's canvas id names it, so Chart.getChart('chart-…') finds it.
 */
export const ANALYTICS_JS = String.raw`'use strict';
(function () {
  var app = document.getElementById('app');
  var who = document.getElementById('who');
  var charts = {};
  var COLORS = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#c2255c', '#5c940d', '#495057', '#845ef7'];

${PAGE_HELPERS}
  // Reading only: no change, so no CSRF token.
  var api = consoleApi(function () { return ''; }, toSignIn);
  function get(path) { return api('GET', path); }

  // -- numbers people can read --
  function ms(x) {
    if (x === null || x === undefined) return '—';
    return x >= 1000 ? (x / 1000).toFixed(2) + ' s' : Math.round(x) + ' ms';
  }
  function usd(x) {
    if (x === null || x === undefined) return '—';
    return '$' + (x !== 0 && Math.abs(x) < 0.01 ? x.toFixed(4) : x.toFixed(2));
  }
  var NAMED = { oos: 'not understood (fallback)', csat: 'rating answer', 'knowledge.answer': 'answered from knowledge', clarify: 'did you mean…' };
  function label(name) { return NAMED[name] || String(name).replace(/_/g, ' '); }
  var REASONS = { customer_request: 'asked for a person', failed_attempts: 'not understood / failed answers',
    frustration: 'frustration', abuse: 'abuse', policy: 'policy limit', tool: 'tool outcome', other: 'other' };

  function utcDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new window.Chart(document.getElementById(id), config);
  }
  function percentAxis() {
    return { min: 0, max: 1, ticks: { callback: function (v) { return Math.round(v * 100) + '%'; } } };
  }
  function tooltip(format) {
    return { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + format(ctx.parsed.y); } } };
  }

  function panel(title, id, hint) {
    return el('div', { className: 'panel' }, [
      el('h3', { text: title }),
      el('div', { className: 'canvas' }, [el('canvas', { id: id, role: 'img', 'aria-label': title })]),
      hint ? el('p', { className: 'hint', text: hint }) : null]);
  }
  function tile(name, value, sub) {
    return el('div', { className: 'tile', 'data-tile': name }, [
      el('div', { className: 'label', text: name }),
      el('div', { className: 'value', text: value }),
      sub ? el('div', { className: 'sub', text: sub }) : null]);
  }
  function table(headers, rows, numeric) {
    return el('table', {}, [
      el('thead', {}, [el('tr', {}, headers.map(function (h, i) { return el('th', { className: numeric && numeric[i] ? 'num' : '', text: h }); }))]),
      el('tbody', {}, rows)]);
  }

  function start(me) {
    who.appendChild(el('span', { text: me.agent.name + ' (' + me.agent.role + ')' }));
    var params = new URLSearchParams(location.search);
    var today = Date.now();
    var to = el('input', { type: 'date', name: 'to', value: params.get('to') || utcDay(today) });
    var from = el('input', { type: 'date', name: 'from', value: params.get('from') || utcDay(today - 13 * 86400000) });
    var channel = el('select', { name: 'channel' }, ['', 'web', 'slack', 'sms', 'whatsapp'].map(function (v) {
      return el('option', { value: v, text: v || 'all channels' }); }));
    channel.value = params.get('channel') || '';
    var error = el('p', { className: 'error', id: 'error' });
    var form = el('form', { className: 'filters', id: 'filters', onsubmit: function (e) { e.preventDefault(); load(); } }, [
      el('label', {}, ['From ', from]), el('label', {}, ['To (UTC, included) ', to]), channel,
      el('button', { type: 'submit', text: 'Apply' })]);
    var tiles = el('div', { className: 'tiles', id: 'tiles' });
    var grid = el('div', { className: 'charts' }, [
      panel('Conversations per day', 'chart-conversations', 'Bars: conversations started; line: handed to a person.'),
      panel('Containment and escalation rate per day', 'chart-rates', 'Contained: never handed to a person.'),
      panel('Reply latency per day', 'chart-latency', 'Customer message accepted → bot reply committed.'),
      panel('CSAT (ratings after a person helped)', 'chart-csat'),
      panel('Escalations by reason', 'chart-reasons'),
      panel('Top intents (customer messages)', 'chart-intents'),
      panel('Task completion per flow', 'chart-flows', 'Completed: the flow’s tool ran to a result.'),
      panel('By channel', 'chart-channels'),
      panel('Average turns and cost per conversation, per day', 'chart-turns-cost')]);
    var channels = el('div');
    var hotspots = el('div');
    var lowRated = el('div');
    clear(app);
    [el('h2', { text: 'Analytics' }), form, error, tiles, grid,
      el('section', { className: 'wide' }, [el('h3', { text: 'By channel' }), channels]),
      el('section', { className: 'wide' }, [el('h3', { text: 'Where customers get stuck (fallback hotspots)' }), hotspots]),
      el('section', { className: 'wide' }, [el('h3', { text: 'Low-rated conversations to review' }), lowRated])]
      .forEach(function (n) { app.appendChild(n); });

    function load() {
      error.textContent = '';
      var q = new URLSearchParams();
      if (from.value) q.set('from', from.value);
      if (to.value) q.set('to', to.value);
      if (channel.value) q.set('channel', channel.value);
      history.replaceState(null, '', '/console/analytics?' + q.toString());
      app.setAttribute('data-state', 'loading');
      Promise.all([get('/analytics?' + q.toString()), get('/analytics/low-rated?limit=50')])
        .then(function (results) { render(results[0]); renderLowRated(results[1].conversations); app.setAttribute('data-state', 'ready'); })
        .catch(function (err) { error.textContent = err.message; app.setAttribute('data-state', 'error'); });
    }

    function render(r) {
      var t = r.totals;
      clear(tiles);
      [tile('Conversations', String(t.conversations)),
        tile('Containment', pct(t.containmentRate), t.conversations - t.escalated + ' without a person'),
        tile('Escalation rate', pct(t.escalationRate), t.escalated + ' handed over'),
        tile('CSAT', t.csatAverage === null ? '—' : num(t.csatAverage, 2) + ' / 5', t.csatCount + ' rated'),
        tile('Average turns', num(t.averageTurns, 1), 'customer messages'),
        tile('Latency p50', ms(t.latencyP50Ms), t.replies + ' bot replies'),
        tile('Latency p95', ms(t.latencyP95Ms)),
        tile('Cost / conversation', usd(t.costPerConversationUsd), usd(t.costUsd) + ' in all'),
        tile('Fallback rate', pct(r.fallbacks.rate), r.fallbacks.count + ' not understood')]
        .forEach(function (n) { tiles.appendChild(n); });

      var days = r.byDay.map(function (d) { return d.day; });
      draw('chart-conversations', { type: 'bar', data: { labels: days, datasets: [
        { label: 'Conversations', data: r.byDay.map(function (d) { return d.conversations; }), backgroundColor: COLORS[0] },
        { label: 'Escalated', type: 'line', data: r.byDay.map(function (d) { return d.escalated; }), borderColor: COLORS[1], backgroundColor: COLORS[1] }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
      draw('chart-rates', { type: 'line', data: { labels: days, datasets: [
        { label: 'Containment', data: r.byDay.map(function (d) { return d.containmentRate; }), borderColor: COLORS[2], backgroundColor: COLORS[2], spanGaps: true },
        { label: 'Escalation', data: r.byDay.map(function (d) { return d.escalationRate; }), borderColor: COLORS[1], backgroundColor: COLORS[1], spanGaps: true }] },
        options: { scales: { y: percentAxis() }, plugins: { tooltip: tooltip(pct) } } });
      draw('chart-latency', { type: 'line', data: { labels: days, datasets: [
        { label: 'p50', data: r.byDay.map(function (d) { return d.latencyP50Ms; }), borderColor: COLORS[0], backgroundColor: COLORS[0], spanGaps: true },
        { label: 'p95', data: r.byDay.map(function (d) { return d.latencyP95Ms; }), borderColor: COLORS[3], backgroundColor: COLORS[3], spanGaps: true }] },
        options: { scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return ms(v); } } } }, plugins: { tooltip: tooltip(ms) } } });
      draw('chart-csat', { type: 'bar', data: { labels: r.csatDistribution.map(function (c) { return c.rating + ' ★'; }), datasets: [
        { label: 'Conversations', data: r.csatDistribution.map(function (c) { return c.count; }), backgroundColor: ['#c92a2a', '#e8590c', '#f08c00', '#74b816', '#2f9e44'] }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
      draw('chart-reasons', { type: 'doughnut', data: { labels: r.escalationReasons.map(function (e) { return REASONS[e.category] || e.category; }), datasets: [
        { label: 'Escalations', data: r.escalationReasons.map(function (e) { return e.count; }), backgroundColor: COLORS }] },
        options: { plugins: { legend: { position: 'right' } } } });
      draw('chart-intents', { type: 'bar', data: { labels: r.topIntents.map(function (i) { return label(i.intent); }), datasets: [
        { label: 'Messages', data: r.topIntents.map(function (i) { return i.count; }), backgroundColor: COLORS[4] }] },
        options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
      draw('chart-flows', { type: 'bar', data: { labels: r.flows.map(function (f) { return label(f.flow); }), datasets: [
        { label: 'Started', data: r.flows.map(function (f) { return f.started; }), backgroundColor: COLORS[0] },
        { label: 'Completed', data: r.flows.map(function (f) { return f.completed; }), backgroundColor: COLORS[2] },
        { label: 'Handed over', data: r.flows.map(function (f) { return f.escalated; }), backgroundColor: COLORS[1] }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
      draw('chart-channels', { type: 'bar', data: { labels: r.byChannel.map(function (c) { return c.channel; }), datasets: [
        { label: 'Conversations', data: r.byChannel.map(function (c) { return c.conversations; }), backgroundColor: COLORS[0] },
        { label: 'Escalated', data: r.byChannel.map(function (c) { return c.escalated; }), backgroundColor: COLORS[1] }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
      draw('chart-turns-cost', { type: 'line', data: { labels: days, datasets: [
        { label: 'Average turns', data: r.byDay.map(function (d) { return d.averageTurns; }), borderColor: COLORS[5], backgroundColor: COLORS[5], yAxisID: 'y', spanGaps: true },
        { label: 'Cost per conversation (USD)', data: r.byDay.map(function (d) { return d.costPerConversationUsd; }), borderColor: COLORS[6], backgroundColor: COLORS[6], yAxisID: 'cost', spanGaps: true }] },
        options: { scales: { y: { beginAtZero: true, position: 'left' },
          cost: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return usd(v); } } } } } });

      clear(channels);
      channels.appendChild(table(['Channel', 'Conversations', 'Containment', 'Escalation', 'CSAT', 'Avg turns', 'Latency p50', 'Latency p95', 'Cost / conv.'],
        r.byChannel.map(function (c) {
          return el('tr', { 'data-channel': c.channel }, [el('td', { text: c.channel }), el('td', { className: 'num', text: String(c.conversations) }),
            el('td', { className: 'num', text: pct(c.containmentRate) }), el('td', { className: 'num', text: pct(c.escalationRate) }),
            el('td', { className: 'num', text: c.csatAverage === null ? '—' : num(c.csatAverage, 2) }), el('td', { className: 'num', text: num(c.averageTurns, 1) }),
            el('td', { className: 'num', text: ms(c.latencyP50Ms) }), el('td', { className: 'num', text: ms(c.latencyP95Ms) }),
            el('td', { className: 'num', text: usd(c.costPerConversationUsd) })]);
        }), [false, true, true, true, true, true, true, true, true]));

      clear(hotspots);
      if (r.fallbackHotspots.length === 0) hotspots.appendChild(el('p', { text: 'No message went un-understood in this range.' }));
      else hotspots.appendChild(table(['Fallbacks', 'After the customer’s', 'After the bot said'],
        r.fallbackHotspots.map(function (h) {
          return el('tr', { 'data-hotspot': '' }, [el('td', { className: 'num', text: String(h.count) }),
            el('td', { text: h.afterIntent ? label(h.afterIntent) : '(first message)' }),
            el('td', { className: 'preview', text: h.afterPrompt || '—' })]);
        }), [true, false, false]));
    }

    function renderLowRated(list) {
      clear(lowRated);
      if (list.length === 0) { lowRated.appendChild(el('p', { text: 'No conversation rated 1 or 2.' })); return; }
      lowRated.appendChild(table(['Rated', 'Rating', 'Channel', 'Escalation reason', 'Last customer message', ''],
        list.map(function (c) {
          return el('tr', { 'data-conversation': c.conversationId }, [
            el('td', { text: new Date(c.ratedAt).toLocaleString() }),
            el('td', { className: 'num', text: c.rating + ' / 5' }),
            el('td', { text: c.channel }),
            el('td', { text: c.escalationReason || '—' }),
            el('td', { className: 'preview', text: c.lastCustomerMessage || '—' }),
            el('td', {}, [c.ticketId ? el('a', { href: '/console#/t/' + c.ticketId, text: 'Open transcript' }) : null])]);
        }), [false, true, false, false, false, false]));
    }

    load();
  }

  get('/me').then(start).catch(function (err) { clear(app); app.appendChild(el('p', { className: 'error', text: err.message })); });
})();
`;
