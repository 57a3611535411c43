/**
 * The widget's styles, inside its shadow root: adopted as a constructable stylesheet (allowed by
 * a host page's CSP without 'unsafe-inline'), or loaded from /widget.css by older browsers.
 * `:host { all: initial }` keeps the page's inherited styles out.
 */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; color: #1d1f23;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
button { font: inherit; cursor: pointer; }
button:focus-visible, textarea:focus-visible, a:focus-visible, .log:focus-visible {
  outline: 3px solid #f5a623; outline-offset: 2px; }
svg { width: 24px; height: 24px; fill: currentColor; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }

.launcher { position: relative; display: grid; place-items: center; width: 56px; height: 56px;
  border: 0; border-radius: 50%; background: #2450d8; color: #fff;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .25); }
.launcher svg { width: 28px; height: 28px; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #d93025; color: #fff; font-size: 12px; font-weight: 700;
  line-height: 22px; text-align: center; }

.panel { position: fixed; right: 20px; bottom: 88px; display: flex; flex-direction: column;
  width: 370px; max-width: calc(100vw - 40px); height: 560px; max-height: calc(100vh - 110px);
  overflow: hidden; background: #fff; border-radius: 14px; box-shadow: 0 8px 30px rgba(0, 0, 0, .25); }
.header { display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 10px 8px 10px 16px; background: #2450d8; color: #fff; }
h2 { margin: 0; font-size: 16px; font-weight: 600; }
.close { display: grid; place-items: center; width: 40px; height: 40px; border: 0;
  border-radius: 8px; background: transparent; color: #fff; }

.log { flex: 1; display: flex; flex-direction: column; gap: 8px; overflow-y: auto; padding: 12px;
  background: #f4f5f7; }
.msg { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: #2450d8; color: #fff; border-bottom-right-radius: 4px; }
.msg.assistant, .msg.agent { align-self: flex-start; background: #fff; border: 1px solid #dde;
  border-bottom-left-radius: 4px; }
.msg.system { align-self: center; background: transparent; color: #555; font-size: 13px; }
.msg.draft { color: #444; }
.msg.sending { opacity: .65; }
.msg.failed { opacity: 1; outline: 1px dashed #d93025; }
.msg a { color: #1a44c2; text-decoration: underline; }
.msg.user a { color: #fff; }
.who { display: block; margin-bottom: 2px; font-size: 12px; font-weight: 600; color: #17663a; }
.retry { display: block; margin-top: 4px; padding: 0; border: 0; background: none; color: inherit;
  font-size: 13px; text-decoration: underline; }
.notice { align-self: center; max-width: 90%; color: #555; font-size: 13px; text-align: center; }

.typing { padding: 0 12px; background: #f4f5f7; }
.typing.on { padding: 4px 12px 8px; }
.dots { display: inline-flex; gap: 4px; padding: 10px 12px; border-radius: 14px; background: #fff;
  border: 1px solid #dde; }
.dots i { width: 7px; height: 7px; border-radius: 50%; background: #889;
  animation: blink 1.2s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: .2s; }
.dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } }

.quick { display: flex; flex-wrap: wrap; gap: 6px; padding: 4px 12px 8px; background: #f4f5f7; }
.quick button { min-height: 36px; padding: 6px 12px; border: 1px solid #2450d8; border-radius: 18px;
  background: #fff; color: #2450d8; }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px;
  border-top: 1px solid #e3e5ea; background: #fff; }
textarea { flex: 1; min-height: 42px; max-height: 120px; padding: 9px 10px; resize: none;
  border: 1px solid #bbc; border-radius: 10px; font: inherit; font-size: 16px; color: inherit; }
.send { display: grid; place-items: center; width: 44px; height: 42px; border: 0;
  border-radius: 10px; background: #2450d8; color: #fff; }

/* Phones: the panel takes the whole screen. */
@media (max-width: 480px) {
  .root { right: 12px; bottom: 12px; }
  .panel { inset: 0; width: 100%; max-width: none; height: 100%; max-height: none; border-radius: 0; }
}
`;
