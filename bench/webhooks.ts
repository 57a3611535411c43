/**
 * Webhook acknowledgement per channel: signed platform webhooks posted open-loop at a fixed rate
 * to the channel app alone (signature check, PII masking, the insert with its dedupe key, the
 * enqueue, the answer), no orchestrator draining the queue, so the figure is the platform's wait.
 */
import http from 'node:http';

import { createHmac } from 'node:crypto';

import { Client } from 'pg';
import twilio from 'twilio';

import type { ChannelId } from '@parley/contracts';

import { startApp, type AppName } from '@parley/testing';

import { paceOpenLoop } from './baseline';
import { summarize, type LatencySummary } from './stats';

export interface WebhookRun {
  channel: string;
  offered: number;
  achieved: number;
  /** Customer messages the app stored: proof the webhooks were taken, not just answered. */
  stored: number;
  /** Answers other than the platform's expected 2xx. */
  errors: number;
  latency: LatencySummary;
}

/** One channel's webhook as its platform sends it, signed. */
export interface ChannelWebhook {
  channel: string;
  app: AppName;
  /** The channel id its messages are stored under. */
  stores: ChannelId;
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
  stores: 'sms',
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

const SLACK_SECRET = 'bench-slack-signing-secret';

/** A direct message to the app, as the Events API delivers it (the bot user is U0BENCHBOT). */
export const slackWebhook: ChannelWebhook = {
  channel: 'slack (Events API)',
  app: 'slack',
  stores: 'slack',
  env: {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    // Never called: no orchestrator answers during the measurement.
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
  },
  request(i) {
    const ts = `${1_700_000_000 + Math.floor(i / 1000)}.${String(i % 1000).padStart(6, '0')}`;
    const user = `U${String(i % SENDERS).padStart(8, '0')}`;
    const body = JSON.stringify({
      token: 'unused',
      team_id: 'T0BENCH',
      api_app_id: 'A0BENCH',
      type: 'event_callback',
      event_id: `Ev${i.toString(36).padStart(10, '0')}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel_type: 'im',
        channel: `D${user.slice(1)}`,
        user,
        text: 'Where is my order? It has been a week.',
        ts,
        event_ts: ts,
      },
      authorizations: [{ team_id: 'T0BENCH', user_id: 'U0BENCHBOT', is_bot: true }],
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', SLACK_SECRET)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex');
    return {
      path: '/slack/events',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${signature}`,
      },
      body,
    };
  },
};

const META_SECRET = 'bench-meta-app-secret';
const PHONE_NUMBER_ID = '106540352242922';

/** A customer's text as the WhatsApp Cloud API delivers it. */
export const whatsappWebhook: ChannelWebhook = {
  channel: 'whatsapp (Cloud API)',
  app: 'whatsapp',
  stores: 'whatsapp',
  env: {
    WHATSAPP_MODE: 'cloud',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_APP_SECRET: META_SECRET,
    WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    // Never called: no orchestrator answers during the measurement.
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
  },
  request(i) {
    const waId = `1415${String(5_550_000 + (i % SENDERS)).padStart(7, '0')}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
                contacts: [{ profile: { name: 'Bench' }, wa_id: waId }],
                messages: [
                  {
                    from: waId,
                    id: `wamid.BENCH${i.toString(16).padStart(24, '0')}`,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: 'Where is my order? It has been a week.' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    return {
      path: '/whatsapp/webhook',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}`,
      },
      body,
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
      const stored = await storedMessages(env.DATABASE_URL!, webhook.stores);
      if (stored < latencies.length) {
        throw new Error(
          `${webhook.channel}: ${latencies.length} webhooks answered but only ${stored} messages stored`,
        );
      }
      runs.push({
        channel: webhook.channel,
        offered: rate,
        achieved: Math.round(latencies.length / elapsed),
        stored,
        errors,
        latency: summarize(latencies),
      });
    } finally {
      await app.stop();
    }
  }
  return runs;
}

async function storedMessages(databaseUrl: string, channel: ChannelId): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM messages WHERE channel = $1 AND role = 'user'`,
      [channel],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

export function webhookTable(runs: WebhookRun[]): string[] {
  return [
    '| channel | offered req/s | achieved req/s | errors | messages stored | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.channel} | ${r.offered} | ${r.achieved} | ${r.errors} | ${r.stored} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} |`,
    ),
  ];
}
