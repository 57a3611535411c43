import { z } from 'zod';

import { baseConfigShape, intakeConfigShape, port, positiveInt, secret } from '@parley/config';

export const whatsappConfigSchema = z
  .object({
    ...baseConfigShape,
    ...intakeConfigShape,
    PORT: port(3004),
    /** `cloud`: Meta's WhatsApp Cloud API (webhooks + Graph API); `webjs`: a linked WhatsApp Web session. */
    WHATSAPP_MODE: z.enum(['cloud', 'webjs']),

    // Cloud API mode (required when WHATSAPP_MODE=cloud).
    /** The token Meta echoes in `hub.verify_token` when the webhook is registered (your choice). */
    WHATSAPP_VERIFY_TOKEN: secret(z.string().min(8).optional()),
    /** App secret (App settings → Basic): signs every webhook as X-Hub-Signature-256. */
    WHATSAPP_APP_SECRET: secret(z.string().min(8).optional()),
    /** A system user's access token with whatsapp_business_messaging. */
    WHATSAPP_ACCESS_TOKEN: secret(z.string().min(8).optional()),
    /** The business number's Phone number ID (not the number itself). */
    WHATSAPP_PHONE_NUMBER_ID: z
      .string()
      .regex(/^\d+$/, 'the numeric Phone number ID from WhatsApp → API Setup')
      .optional(),
    /** Meta's Graph API; tests point it at a local fake. */
    WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
    WHATSAPP_GRAPH_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'a Graph API version such as v21.0')
      .default('v21.0'),
    /**
     * The approved template sent instead of free text when the customer last wrote more than
     * 24 hours ago; unset, such replies fail with the reason.
     */
    WHATSAPP_TEMPLATE_NAME: z.string().min(1).optional(),
    WHATSAPP_TEMPLATE_LANGUAGE: z.string().min(2).default('en_US'),
    /**
     * A signed webhook whose message or status is older than this is a replay, refused with 403
     * (Meta redelivers for up to 7 days, so the default leaves a day of margin).
     */
    WHATSAPP_WEBHOOK_MAX_AGE_HOURS: positiveInt(8 * 24),
    /** Messages per second one business number may send (Cloud API: 80). */
    WHATSAPP_SEND_RATE_PER_SECOND: positiveInt(80),
    /** outbound.whatsapp jobs sent at once by this process. */
    WHATSAPP_OUTBOUND_CONCURRENCY: positiveInt(8),
    /** A Graph API call that takes longer is abandoned (its outcome unknown, never resent). */
    WHATSAPP_TIMEOUT_MS: positiveInt(10_000),

    // whatsapp-web.js mode.
    /** Chromium for whatsapp-web.js (Debian: `apt-get install chromium`). */
    WHATSAPP_CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
    /** Names the linked session in Postgres; one per linked number. */
    WHATSAPP_SESSION_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('parley'),
    /** How often the session is saved to Postgres (whatsapp-web.js minimum: 60 000). */
    WHATSAPP_SESSION_BACKUP_MS: z.coerce.number().int().min(60_000).default(300_000),
    /** Longest wait between reconnect attempts after `disconnected`. */
    WHATSAPP_RECONNECT_MAX_MS: positiveInt(60_000),
    /** Messages per second the linked number sends (keep low: unofficial clients get banned). */
    WHATSAPP_WEBJS_SEND_RATE_PER_SECOND: positiveInt(1),
  })
  .superRefine((config, context) => {
    if (config.WHATSAPP_MODE !== 'cloud') return;
    const required = [
      'WHATSAPP_VERIFY_TOKEN',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_ACCESS_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
    ] as const;
    for (const name of required) {
      if (config[name] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'required when WHATSAPP_MODE=cloud',
        });
      }
    }
  });

export type WhatsAppConfig = z.infer<typeof whatsappConfigSchema>;

/** The Cloud API settings, present once the schema has checked WHATSAPP_MODE=cloud. */
export interface CloudSettings {
  verifyToken: string;
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
}

export function cloudSettings(config: WhatsAppConfig): CloudSettings {
  const {
    WHATSAPP_VERIFY_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID,
  } = config;
  if (
    !WHATSAPP_VERIFY_TOKEN ||
    !WHATSAPP_APP_SECRET ||
    !WHATSAPP_ACCESS_TOKEN ||
    !WHATSAPP_PHONE_NUMBER_ID
  ) {
    throw new Error('the WhatsApp Cloud API settings are missing');
  }
  return {
    verifyToken: WHATSAPP_VERIFY_TOKEN,
    appSecret: WHATSAPP_APP_SECRET,
    accessToken: WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: WHATSAPP_PHONE_NUMBER_ID,
  };
}
