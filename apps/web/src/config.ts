import { z } from 'zod';

import { baseConfigShape, intakeConfigShape, port, positiveInt, secret } from '@parley/config';

export const webConfigSchema = z
  .object({
    ...baseConfigShape,
    ...intakeConfigShape,
    PORT: port(3000),
    /** Longest a POST /api/v1/messages waits for the turn before answering 202. */
    WEB_WAIT_TIMEOUT_MS: positiveInt(30_000),
    /** Request bodies above this are refused with 413 before they are parsed. */
    WEB_BODY_LIMIT_BYTES: positiveInt(64 * 1024),
    /** outbound.web jobs handled at once by this process. */
    WEB_OUTBOUND_CONCURRENCY: positiveInt(32),
    /** Public URL printed in logs and used by the demo page (behind a proxy, the proxy's URL). */
    PUBLIC_URL: z.url().optional(),
    /** Bearer token of the admin API (knowledge upload); unset, the admin API is off. */
    PARLEY_ADMIN_TOKEN: secret(z.string().min(24, 'use at least 24 characters').optional()),
    /**
     * Key of verified customer identities: the business's backend sends userHash =
     * hex(HMAC-SHA256(key, userId)) with each message. Unset, every web user is an unverified visitor.
     */
    WEB_IDENTITY_SECRET: secret(z.string().min(32, 'use at least 32 characters').optional()),
    /**
     * Key of anonymous widget visitors' tokens (POST /api/v1/visitors). Unset, a key derived from
     * WEB_IDENTITY_SECRET is used; with neither, the widget cannot start conversations.
     */
    WEB_VISITOR_SECRET: secret(z.string().min(32, 'use at least 32 characters').optional()),
    /**
     * Origins of the sites that embed the widget, comma-separated (https://shop.example), or *:
     * their pages may call the customer API and open the stream. The web app's own origin always may.
     */
    WEB_WIDGET_ORIGINS: z
      .string()
      .default('')
      .transform((value, context) => {
        const origins = value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean);
        for (const origin of origins) {
          if (origin !== '*' && !isOrigin(origin)) {
            context.addIssue({
              code: 'custom',
              message: `"${origin}" is not an origin: scheme://host[:port], no path (or *)`,
            });
          }
        }
        return origins;
      }),
    /**
     * Demo only: `POST /demo/sign-in` hands anyone a verified identity, as if the business's site
     * had logged them in, so the demo page can play a signed-in customer. Needs WEB_IDENTITY_SECRET.
     * true/false (also 1/0, yes/no, on/off).
     */
    WEB_DEMO_SIGN_IN: z.stringbool().default(false),
  })
  .superRefine((config, context) => {
    if (config.WEB_DEMO_SIGN_IN && !config.WEB_IDENTITY_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['WEB_DEMO_SIGN_IN'],
        message: 'needs WEB_IDENTITY_SECRET: demo sign-in hands out userHash values signed with it',
      });
    }
  });

export type WebConfig = z.infer<typeof webConfigSchema>;

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
