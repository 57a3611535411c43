import { z } from 'zod';

import { baseConfigShape, port, positiveInt, secret } from '@parley/config';
import { handoffConfigSchema, handoffConfigShape } from '@parley/handoff';

export const consoleConfigSchema = z
  .object({
    ...baseConfigShape,
    // The hand-over notifier (Slack support channel, help-desk webhooks) runs in the console.
    ...handoffConfigShape,
    PORT: port(3006),
    /** A session ends this long after the agent was last seen (sliding expiry). */
    CONSOLE_SESSION_HOURS: positiveInt(12),
    /** Login attempts per email (per assistant) in 15 minutes; more are refused with 429. */
    CONSOLE_LOGIN_ATTEMPTS_PER_15_MIN: positiveInt(5),
    /** Login attempts per client IP in 15 minutes (an office shares one address behind NAT). */
    CONSOLE_LOGIN_IP_ATTEMPTS_PER_15_MIN: positiveInt(50),
    /** Session cookie sent over HTTPS only; turn off only for plain-HTTP local use and tests. */
    CONSOLE_COOKIE_SECURE: z.stringbool().default(true),
    /** With CONSOLE_ADMIN_PASSWORD: creates this admin at start unless an agent has this email. */
    CONSOLE_ADMIN_EMAIL: z.email().optional(),
    CONSOLE_ADMIN_PASSWORD: secret(z.string().min(12, 'at least 12 characters').optional()),
    /**
     * Demo only (`npm start`): CONSOLE_ADMIN_PASSWORD replaces that admin's password at every
     * start, so the login printed for the run always works.
     */
    CONSOLE_ADMIN_PASSWORD_RESET: z.stringbool().default(false),
  })
  .superRefine((c, context) => {
    const handoff = handoffConfigSchema.safeParse(c);
    for (const issue of handoff.success ? [] : handoff.error.issues) {
      context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  })
  .refine(
    (c) => (c.CONSOLE_ADMIN_EMAIL === undefined) === (c.CONSOLE_ADMIN_PASSWORD === undefined),
    {
      message: 'set CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD together',
      path: ['CONSOLE_ADMIN_PASSWORD'],
    },
  );

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
