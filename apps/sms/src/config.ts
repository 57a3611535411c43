import { z } from 'zod';

import { baseConfigShape, intakeConfigShape, port, positiveInt, secret } from '@parley/config';

/** An E.164 number, a `whatsapp:` address (Twilio's WhatsApp) or a Messaging Service SID. */
const sender = z
  .string()
  .regex(
    /^(\+[1-9]\d{6,14}|whatsapp:\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/,
    'an E.164 number (+14155550100), whatsapp:+14155550100 or a Messaging Service SID (MG…)',
  );

export const smsConfigSchema = z.object({
  ...baseConfigShape,
  ...intakeConfigShape,
  PORT: port(3003),
  /** Twilio's account (Console → Account info). */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID (AC…)'),
  /** Signs Twilio's webhooks and authenticates REST calls. */
  TWILIO_AUTH_TOKEN: secret(z.string().min(16, 'the account’s Auth Token')),
  /** Who replies come from: the number customers text. */
  TWILIO_FROM: sender,
  /** Who replies to Twilio WhatsApp customers (`whatsapp:+…`) come from; unset: TWILIO_FROM. */
  TWILIO_WHATSAPP_FROM: sender.optional(),
  /**
   * The public origin Twilio calls (https://parley.example.com, behind any proxy): signatures
   * are computed over the URL Twilio used, which this service cannot see behind a proxy.
   */
  SMS_PUBLIC_URL: z.url(),
  /** Twilio's REST API; tests point it at a local fake. */
  TWILIO_API_BASE_URL: z.url().default('https://api.twilio.com'),
  /** Answer to HELP (carriers require one). */
  SMS_HELP_TEXT: z
    .string()
    .min(1)
    .default('Support assistant. Reply with your question. Reply STOP to opt out.'),
  /** Messages per second one sending number may send (a US long code: 1). */
  SMS_SEND_RATE_PER_SECOND: positiveInt(1),
  /** Messages one customer may send per minute; more are dropped (politely, once). */
  SMS_INBOUND_PER_MINUTE: positiveInt(20),
  /** outbound.sms jobs sent at once by this process. */
  SMS_OUTBOUND_CONCURRENCY: positiveInt(8),
  /** A Twilio call that takes longer is abandoned (its outcome unknown, never resent). */
  TWILIO_TIMEOUT_MS: positiveInt(10_000),
});

export type SmsConfig = z.infer<typeof smsConfigSchema>;
