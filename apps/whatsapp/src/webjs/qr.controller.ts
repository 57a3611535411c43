import { Controller, Get, Header } from '@nestjs/common';

import { WebJsBridge } from './webjs-bridge';
import { qrSvg } from './qr-svg';

/**
 * The page an operator opens to link the WhatsApp Web session: the current QR code as an inline
 * SVG drawn here (no external service or asset), refreshed every few seconds until linked.
 */
@Controller('whatsapp')
export class QrController {
  constructor(private readonly bridge: WebJsBridge) {}

  @Get('qr')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  page(): string {
    const { qr, connected } = this.bridge;
    const body = connected
      ? '<p>Linked: WhatsApp Web is connected.</p>'
      : qr
        ? `<p>On the phone: WhatsApp → Settings → Linked devices → Link a device, then scan:</p>
           ${qrSvg(qr)}<p class="raw">${escapeHtml(qr)}</p>`
        : '<p>Waiting for WhatsApp Web to offer a QR code…</p>';
    return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="5"><title>Link WhatsApp — Parley</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}
svg{width:20rem;height:20rem}.raw{font:0.7rem monospace;word-break:break-all;color:#666}</style>
</head><body><h1>Link WhatsApp</h1>${body}</body></html>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
