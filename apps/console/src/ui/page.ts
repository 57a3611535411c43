/** The console's one HTML page; console.js draws everything from the JSON API. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley console</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<header><strong>Parley console</strong><span id="who"></span></header>
<main id="app"><p>Loading…</p></main>
</body>
</html>
`;

export const CONSOLE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
header { display: flex; justify-content: space-between; align-items: center; padding: 10px 18px;
  background: #1d2430; color: #fff; }
header button { margin-left: 10px; }
header a { color: #fff; margin-right: 10px; }
main { max-width: 1100px; margin: 18px auto; padding: 0 18px; }
form.login { max-width: 320px; display: grid; gap: 8px; margin: 60px auto; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ea; }
tr.breached td.sla { color: #b42318; font-weight: 600; }
.filters, .actions { display: flex; gap: 8px; margin: 10px 0; flex-wrap: wrap; }
.cols { display: grid; grid-template-columns: 2fr 1fr; gap: 18px; }
.messages { background: #fff; padding: 10px; height: 420px; overflow-y: auto; border: 1px solid #e3e6ea; }
.msg { margin: 6px 0; padding: 6px 10px; border-radius: 8px; max-width: 80%; white-space: pre-wrap; }
.msg.user { background: #eef2f7; }
.msg.assistant, .msg.system { background: #f3f0ff; margin-left: auto; }
.msg.agent { background: #dff5e3; margin-left: auto; }
.msg .meta { font-size: 11px; color: #667085; }
.note { background: #fffbe6; padding: 6px 8px; margin: 6px 0; white-space: pre-wrap; }
textarea { width: 100%; min-height: 60px; box-sizing: border-box; }
.error { color: #b42318; }
`;
