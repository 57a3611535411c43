/** The analytics dashboard's page: Chart.js and analytics.js draw it from the JSON API. */
export const ANALYTICS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Analytics · Parley console</title>
<link rel="stylesheet" href="/console/console.css">
<link rel="stylesheet" href="/console/analytics.css">
<script src="/console/assets/chart.js" defer></script>
<script src="/console/analytics.js" defer></script>
</head>
<body>
<header><span><strong>Parley console</strong> <a href="/console">Inbox</a> <a href="/console/analytics" aria-current="page">Analytics</a></span><span id="who"></span></header>
<main id="app" class="dashboard"><p>Loading…</p></main>
</body>
</html>
`;

export const ANALYTICS_CSS = `
header a { color: #fff; margin-left: 12px; }
header a[aria-current] { text-decoration: underline; font-weight: 600; }
main.dashboard { max-width: 1280px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 12px 0; }
.tile { background: #fff; border: 1px solid #e3e6ea; border-radius: 8px; padding: 10px 12px; }
.tile .label { font-size: 12px; color: #667085; }
.tile .value { font-size: 22px; font-weight: 600; }
.tile .sub { font-size: 12px; color: #667085; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px; }
.panel { background: #fff; border: 1px solid #e3e6ea; border-radius: 8px; padding: 10px 12px; }
.panel h3 { margin: 0 0 8px; font-size: 14px; }
.panel .canvas { position: relative; height: 240px; }
.panel p.hint { font-size: 12px; color: #667085; margin: 6px 0 0; }
section.wide { margin-top: 18px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.preview { max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.filters label { display: flex; gap: 4px; align-items: center; }
`;
