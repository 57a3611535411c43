import { z } from 'zod';

import { baseConfigShape, intakeConfigShape, port, positiveInt, secret } from '@parley/config';

export const slackConfigSchema = z
  .object({
    ...baseConfigShape,
    ...intakeConfigShape,
    PORT: port(3005),
    /** The app's Bot User OAuth Token (OAuth & Permissions → xoxb-…): sends the replies. */
    SLACK_BOT_TOKEN: secret(z.string().regex(/^xoxb-/, 'a Bot User OAuth Token (xoxb-…)')),
    /** Basic Information → Signing Secret: checks every HTTP request Slack sends. */
    SLACK_SIGNING_SECRET: secret(z.string().min(16, "the app's Signing Secret").optional()),
    /**
     * Receive events over a WebSocket Slack opens (no public URL needed) instead of HTTP.
     * true/false (also 1/0, yes/no, on/off). Needs SLACK_APP_TOKEN.
     */
    SLACK_SOCKET_MODE: z.stringbool().default(false),
    /** An App-Level Token with the connections:write scope (xapp-…), for Socket Mode. */
    SLACK_APP_TOKEN: secret(
      z
        .string()
        .regex(/^xapp-/, 'an App-Level Token (xapp-…)')
        .optional(),
    ),
    /** Slack's Web API; tests point it at a local fake. */
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    /** Messages per second one Slack channel may receive (Slack allows about 1). */
    SLACK_SEND_RATE_PER_SECOND: positiveInt(1),
    /** outbound.slack jobs sent at once by this process. */
    SLACK_OUTBOUND_CONCURRENCY: positiveInt(8),
    /** A Slack call that takes longer is abandoned (its outcome unknown, never resent). */
    SLACK_TIMEOUT_MS: positiveInt(10_000),
  })
  .superRefine((config, context) => {
    if (config.SLACK_SOCKET_MODE && !config.SLACK_APP_TOKEN) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'required with SLACK_SOCKET_MODE=true: an App-Level Token (xapp-…)',
      });
    }
    if (!config.SLACK_SOCKET_MODE && !config.SLACK_SIGNING_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: "required for the Events API over HTTP: the app's Signing Secret",
      });
    }
  });

export type SlackConfig = z.infer<typeof slackConfigSchema>;
