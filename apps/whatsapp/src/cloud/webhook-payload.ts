import { z } from 'zod';

import type { ReportedStatus } from '@parley/db';

import { choiceText } from '../render/whatsapp-format';

/**
 * The parts of Meta's `whatsapp_business_account` webhook Parley reads (Cloud API "messages"
 * field): customer messages and the statuses of what Parley sent. Unknown fields pass through.
 */
const reply = z.object({ id: z.string().optional(), title: z.string() });
const message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({ button_reply: reply.optional(), list_reply: reply.optional() })
    .optional(),
  /** A template's quick-reply button. */
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: z.object({ caption: z.string().optional() }).optional(),
  video: z.object({ caption: z.string().optional() }).optional(),
  document: z.object({ caption: z.string().optional() }).optional(),
});
const status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() }),
    )
    .optional(),
});
export const CloudWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            messages: z.array(message).optional(),
            statuses: z.array(status).optional(),
          }),
        }),
      ),
    }),
  ),
});

export interface CustomerMessage {
  /** The customer's wa_id. */
  from: string;
  /** `wamid.…`: the dedupe key, for good. */
  id: string;
  at: Date;
  /** What the engine reads; null for what it cannot (a sticker, a location). */
  text: string | null;
}

export interface StatusUpdate {
  id: string;
  status: ReportedStatus;
  at: Date;
  error?: string;
}

/** Meta's statuses as Parley records them; `deleted`, `warning` and the like change nothing. */
const STATUSES: Record<string, ReportedStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/** The events of one webhook addressed to `phoneNumberId` (a WABA may hold other numbers). */
export function eventsOf(
  payload: z.infer<typeof CloudWebhookSchema>,
  phoneNumberId: string,
): { messages: CustomerMessage[]; statuses: StatusUpdate[] } {
  const messages: CustomerMessage[] = [];
  const statuses: StatusUpdate[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const { value } = change;
      if (value.metadata && value.metadata.phone_number_id !== phoneNumberId) continue;
      for (const m of value.messages ?? []) {
        messages.push({ from: m.from, id: m.id, at: secondsToDate(m.timestamp), text: textOf(m) });
      }
      for (const s of value.statuses ?? []) {
        const mapped = STATUSES[s.status];
        if (!mapped) continue;
        const error = s.errors?.[0];
        statuses.push({
          id: s.id,
          status: mapped,
          at: secondsToDate(s.timestamp),
          ...(error
            ? { error: `WhatsApp ${error.code}: ${error.title ?? error.message ?? ''}` }
            : {}),
        });
      }
    }
  }
  return { messages, statuses };
}

function textOf(m: z.infer<typeof message>): string | null {
  const chosen = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (chosen) return choiceText(chosen);
  const text =
    m.text?.body ?? m.button?.text ?? m.image?.caption ?? m.video?.caption ?? m.document?.caption;
  return text?.trim() ? text : null;
}

function secondsToDate(seconds: string): Date {
  return new Date(Number(seconds) * 1000);
}
