/**
 * Webhook acknowledgement per channel: signed platform webhooks posted open-loop at a fixed rate
 * to the channel app alone (signature check, PII masking, the insert with its dedupe key, the
 * enqueue, the answer), no orchestrator draining the queue, so the figure is the platform's wait.
 */
import http from 'node:http';

import twilio from 'twilio';

import { startApp, type AppName } from '@parley/testing';

import { paceOpenLoop } from './baseline';
import { summarize, type LatencySummary } from './stats';

export interface WebhookRun {
  channel: string;
  offered: number;
  achieved: number;
  /** Answers other than the platform's expected 2xx. */
  errors: number;
  latency: LatencySummary;
}

/** One channel's webhook as its platform sends it, signed. */
export interface ChannelWebhook {
  channel: string;
  app: AppName;
  /** The app's settings besides the shared ones. */
  env: Record<string, string>;
  /** Request `i`, ready to post to the app's URL. */
  request(i: number): { path: string; headers: Record<string, string>; body: string };
}

const TWILIO_TOKEN = 'bench-twilio-auth-token';
const PUBLIC_URL = 'https://parley.example.com';
/** Enough customers that none reaches the per-customer inbound limit. */
const SENDERS = 2_000;

export const smsWebhook: ChannelWebhook = {
  channel: 'sms (Twilio)',
  app: 'sms',
  env: {
    TWILIO_ACCOUNT_SID: `AC${'b2'.repeat(16)}`,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM: '+15005550006',
    SMS_PUBLIC_URL: PUBLIC_URL,
    // Never called: no orchestrator answers during the measurement.
    TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
    SMS_INBOUND_PER_MINUTE: '1000',
  },
  request(i) {
    const params = {
      MessageSid: `SM${i.toString(16).padStart(32, '0')}`,
      From: `+1415${String(5_550_000 + (i % SENDERS)).padStart(7, '0')}`,
      To: '+15005550006',
      Body: 'Where is my order? It has been a week.',
      NumMedia: '0',
      AccountSid: `AC${'b2'.repeat(16)}`,
    };
    return {
      path: '/sms/inbound',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          TWILIO_TOKEN,
          `${PUBLIC_URL}/sms/inbound`,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    };
  },
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(
  baseUrl: string,
  request: ReturnType<ChannelWebhook['request']>,
): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${baseUrl}${request.path}`,
      {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            ms: performance.now() - started,
            ok: (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300,
          }),
        );
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, ok: false }));
    req.end(request.body);
  });
}

export async function measureWebhookAcks(
  env: Record<string, string>,
  webhooks: ChannelWebhook[],
  rate: number,
  seconds: number,
): Promise<WebhookRun[]> {
  const runs: WebhookRun[] = [];
  for (const webhook of webhooks) {
    console.log(`bench: ${webhook.channel} webhooks at ${rate}/s for ${seconds}s…`);
    const app = await startApp(webhook.app, { ...env, ...webhook.env });
    try {
      // Warm-up: connections, prepared statements, JIT.
      await paceOpenLoop(100, 2, async (i) => (await post(app.url, webhook.request(1e9 + i))).ms);
      let errors = 0;
      const started = performance.now();
      const latencies = await paceOpenLoop(rate, seconds, async (i) => {
        const result = await post(app.url, webhook.request(i));
        if (!result.ok) errors += 1;
        return result.ms;
      });
      const elapsed = (performance.now() - started) / 1000;
      runs.push({
        channel: webhook.channel,
        offered: rate,
        achieved: Math.round(latencies.length / elapsed),
        errors,
        latency: summarize(latencies),
      });
    } finally {
      await app.stop();
    }
  }
  return runs;
}

export function webhookTable(runs: WebhookRun[]): string[] {
  return [
    '| channel | offered req/s | achieved req/s | errors | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.channel} | ${r.offered} | ${r.achieved} | ${r.errors} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} |`,
    ),
  ];
}
