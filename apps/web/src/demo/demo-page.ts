/**
 * The demo page on the web app's root, so `npm start` gives something to open in a browser: it
 * plays a shop's website that embeds the chat widget (/widget.js) with one tag, under a strict
 * CSP (no inline script or style). With WEB_DEMO_SIGN_IN it can also play the shop's login: the
 * signed-in customer's id and userHash (from POST /demo/sign-in) go into the widget's tag, as a
 * shop's page template would render them; otherwise everyone is an anonymous visitor.
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
<header>
  <span class="shop">Parley demo shop</span>
  <div id="identity" hidden>
    <span id="identity-status" aria-live="polite"></span>
    <button type="button" id="sign-in" hidden>Sign in as a demo customer</button>
    <button type="button" id="sign-out" hidden>Sign out</button>
  </div>
</header>
<main>
  <h1>Parley demo assistant</h1>
  <p>This page plays a shop's website. The chat bubble in the corner is Parley's widget, which any
  page embeds with one tag:</p>
  <pre><code id="embed">&lt;script src="/widget.js" async&gt;&lt;/script&gt;</code></pre>
  <p>Ask about shipping, returns, refunds, payments or your account. Account tasks need a signed-in
  customer: <em>Sign in as a demo customer</em> plays the shop's login, which puts the customer's
  id and userHash into the tag.</p>
</main>
<script src="/demo.js"></script>
</body>
</html>`;

export const DEMO_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1f23; }
[hidden] { display: none !important; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: .25rem .75rem; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid #dde; }
.shop { font-weight: 700; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem 1rem 6rem; }
h1 { font-size: 1.4rem; }
pre { overflow-x: auto; padding: .75rem; background: #fff; border: 1px solid #dde; border-radius: .5rem; }
#identity { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; font-size: .9rem; }
#identity.signed-in #identity-status { color: #17663a; font-weight: 600; }
#identity button { min-height: 2.5rem; padding: .3rem .8rem; border: 1px solid #2450d8; background: #fff;
  color: #2450d8; border-radius: .5rem; font: inherit; cursor: pointer; }
#identity button:disabled { opacity: .6; cursor: progress; }
`;

export const DEMO_JS = `'use strict';
(function () {
  // The demo customer the "shop" has signed in: { userId, userHash }, as its session would hold.
  var CUSTOMER = 'parley.demo.customer';
  var EXPIRED = 'parley.demo.signInExpired';
  var identity = document.getElementById('identity');
  var identityStatus = document.getElementById('identity-status');
  var signInButton = document.getElementById('sign-in');
  var signOutButton = document.getElementById('sign-out');
  var customer = null;
  try { customer = JSON.parse(localStorage.getItem(CUSTOMER) || 'null'); } catch (e) { customer = null; }
  var expired = sessionStorage.getItem(EXPIRED) === '1';
  sessionStorage.removeItem(EXPIRED);
  var signInAvailable = false;

  document.getElementById('embed').textContent =
    '<script src="' + location.origin + '/widget.js" async></' + 'script>';

  function showIdentity() {
    var signedIn = Boolean(customer);
    identity.hidden = !signedIn && !signInAvailable && !expired;
    identity.classList.toggle('signed-in', signedIn);
    identityStatus.textContent = signedIn
      ? 'Signed in as demo customer'
      : expired ? 'Your demo sign-in expired: anonymous visitor' : 'Anonymous visitor';
    signInButton.hidden = signedIn || !signInAvailable;
    signOutButton.hidden = !signedIn;
  }

  // What the shop's page template renders: the widget's one tag, with the customer if signed in.
  var tag = document.createElement('script');
  tag.src = '/widget.js';
  tag.async = true;
  tag.dataset.title = 'Parley demo assistant';
  tag.dataset.welcome = 'Hi! Ask me about shipping, returns, refunds, payments or your account.';
  if (customer) {
    tag.dataset.userId = customer.userId;
    tag.dataset.userHash = customer.userHash;
  }
  // The server no longer accepts the sign-in (its identity key changed, e.g. npm start restarted).
  tag.addEventListener('parley:identity-error', function () {
    localStorage.removeItem(CUSTOMER);
    sessionStorage.setItem(EXPIRED, '1');
    location.reload();
  });
  document.body.appendChild(tag);

  signInButton.addEventListener('click', function () {
    signInButton.disabled = true;
    fetch('/demo/sign-in', { method: 'POST' }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) throw new Error(result.data.error ? result.data.error.message : 'sign-in failed');
      localStorage.setItem(CUSTOMER, JSON.stringify({ userId: result.data.userId, userHash: result.data.userHash }));
      location.reload();
    }).catch(function (error) {
      identityStatus.textContent = 'Sign-in failed: ' + error.message;
      signInButton.disabled = false;
    });
  });

  signOutButton.addEventListener('click', function () {
    localStorage.removeItem(CUSTOMER);
    location.reload();
  });

  showIdentity();
  fetch('/demo/config')
    .then(function (r) { return r.ok ? r.json() : { signIn: false }; })
    .then(function (c) { signInAvailable = Boolean(c.signIn); showIdentity(); })
    .catch(function () { /* no sign-in offered */ });
})();
`;
