import { z } from 'zod';

import { identifier, text } from './common';

/** Topics the assistant refuses to advise on; the guard code knows how to recognise each. */
export const ADVICE_TOPICS = ['legal', 'medical', 'financial'] as const;

const clock = '([01]\\d|2[0-3]):[0-5]\\d';
const openingRange = z
  .string()
  .regex(new RegExp(`^${clock}-${clock}$`), 'expected opening hours like 08:00-18:00')
  .transform((range) => {
    const [open = '', close = ''] = range.split('-');
    return { open, close };
  })
  .refine(({ open, close }) => open < close, 'opening time must be before closing time');

/** `08:00-18:00`, a list of such ranges, or `closed`. */
const dayHours = z
  .union([z.literal('closed'), openingRange, z.array(openingRange)], {
    error: 'expected opening hours like 08:00-18:00, a list of them, or closed',
  })
  .transform((hours) => (hours === 'closed' ? [] : Array.isArray(hours) ? hours : [hours]));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** policies.yaml: the numbers deterministic policy code decides with. */
export const policiesSchema = z.strictObject({
  /** ISO 4217 code of every amount in this file and in `amount` slots. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a currency code such as USD or EUR'),
  escalation: z.strictObject({
    /** Intents that hand the conversation to a person straight away ("talk to a human"). */
    on_intents: z.array(identifier).default([]),
    /** Failed attempts in a row (not understood, invalid slot value) before handing over. */
    max_failed_attempts: z.int().min(1),
    /** Billing disputes above this amount go to a person. */
    dispute_amount_limit: z.number().positive(),
    /** Frustration score (0 calm … 1 furious) from which the conversation is handed over. */
    frustration_threshold: z.number().min(0).max(1),
    /**
     * Minutes a hand-over ticket may wait unclaimed; then it is raised in priority and the support
     * team is notified again (and again after each further period).
     */
    sla_minutes: z.int().min(1).default(15),
  }),
  business_hours: z.strictObject({
    /** IANA time zone, e.g. America/Los_Angeles. */
    timezone: text.refine(isTimeZone, 'unknown time zone; use an IANA name like Europe/Berlin'),
    /** Opening hours per weekday in that zone; a day left out is closed. */
    weekly: z.strictObject({
      mon: dayHours.default([]),
      tue: dayHours.default([]),
      wed: dayHours.default([]),
      thu: dayHours.default([]),
      fri: dayHours.default([]),
      sat: dayHours.default([]),
      sun: dayHours.default([]),
    }),
  }),
  returns: z.strictObject({
    /** Days after delivery during which items can be returned. */
    window_days: z.int().positive(),
  }),
  refunds: z.strictObject({
    /** Refunds up to this amount are approved by the bot; above it a person decides. */
    auto_approve_limit: z.number().nonnegative(),
  }),
  boundaries: z.strictObject({
    refuse_advice: z.array(z.enum(ADVICE_TOPICS)).default([]),
    /** What to do when the customer talks about something unrelated to the shop. */
    off_topic: z.enum(['redirect', 'fallback']).default('redirect'),
  }),
  privacy: z
    .strictObject({
      /** Intents that ask to be forgotten: after a yes, the customer's data is erased and audited. */
      erase_on_intents: z.array(identifier).default([]),
    })
    .default({ erase_on_intents: [] }),
});

export type Policies = z.infer<typeof policiesSchema>;
export type OpeningHours = Policies['business_hours']['weekly'];
