import { z } from 'zod';

import { ChannelIdSchema } from './channels';
import { JobName, QueueName } from './queues';

/**
 * Version of every payload below. Additive, optional fields do not bump it; a consumer that
 * meets a newer version leaves the job for a newer replica (see assertReadableVersion).
 */
export const SCHEMA_VERSION = 1;

/**
 * W3C trace context (`traceparent`, `tracestate` headers) of the span that enqueued the job, so
 * the consumer's spans continue the trace from webhook to reply. Malformed is dropped, not fatal.
 */
export const JobTraceSchema = z.object({
  traceparent: z.string().max(128),
  tracestate: z.string().max(512).optional(),
});

const envelope = {
  schemaVersion: z.number().int().positive(),
  /** W3C trace id carried from webhook to reply, for logs and traces. */
  traceId: z.string().max(64).optional(),
  trace: JobTraceSchema.optional().catch(undefined),
};

export const QuickReplySchema = z.string().min(1).max(80);

export const InboundMessageJobSchema = z.object({
  ...envelope,
  channel: ChannelIdSchema,
  assistantId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The stored customer message (masked text lives in Postgres, not in the payload). */
  messageId: z.string().min(1),
  receivedAt: z.number().int(),
});

export const OutboundReplySchema = z.object({
  id: z.string().min(1),
  role: z.enum(['assistant', 'agent', 'system']),
  /** Masked, channel-neutral text (light markdown); the channel app renders it. */
  text: z.string(),
  quickReplies: z.array(QuickReplySchema).optional(),
});

export const OutboundMessageJobSchema = z.object({
  ...envelope,
  channel: ChannelIdSchema,
  assistantId: z.string().min(1),
  conversationId: z.string().min(1),
  /** The customer message this answers; absent for messages an agent starts. */
  inReplyTo: z.string().min(1).optional(),
  status: z.enum(['bot', 'handoff', 'closed']),
  replies: z.array(OutboundReplySchema),
});

export const SweepJobSchema = z.object({ ...envelope });

export const ToolCallJobSchema = z.object({
  ...envelope,
  assistantId: z.string().min(1),
  conversationId: z.string().min(1),
  customerId: z.string().min(1),
  /** The customer message whose turn calls the tool: with the tool, the idempotency key. */
  messageId: z.string().min(1),
  tool: z.string().min(1),
  /** Masked arguments; PII travels as vault references the tools app opens. */
  args: z.record(z.string(), z.unknown()),
});

/** What a tool call came to: the return value of a tool.call job. */
export const ToolCallResultSchema = z.object({
  /** `success`, `failure`, or one of the tool's declared outcomes. */
  outcome: z.string().min(1),
  fields: z.record(z.string(), z.unknown()),
  /** For failures: why, for logs and the transcript (never shown to the customer). */
  error: z.string().optional(),
  durationMs: z.number().nonnegative(),
});

export const HandoffEventSchema = z.enum(['ticket.created', 'ticket.escalated']);

export const HandoffNotifyJobSchema = z.object({
  ...envelope,
  assistantId: z.string().min(1),
  ticketId: z.string().min(1),
  event: HandoffEventSchema,
  /** For ticket.escalated: which escalation (1, 2, …); each is its own notification. */
  escalation: z.number().int().nonnegative().optional(),
});

export type JobTrace = z.infer<typeof JobTraceSchema>;
export type InboundMessageJob = z.infer<typeof InboundMessageJobSchema>;
export type OutboundMessageJob = z.infer<typeof OutboundMessageJobSchema>;
export type OutboundReply = z.infer<typeof OutboundReplySchema>;
export type SweepJob = z.infer<typeof SweepJobSchema>;
export type ToolCallJob = z.infer<typeof ToolCallJobSchema>;
export type ToolCallResult = z.infer<typeof ToolCallResultSchema>;
export type HandoffEvent = z.infer<typeof HandoffEventSchema>;
export type HandoffNotifyJob = z.infer<typeof HandoffNotifyJobSchema>;

/** One schema per job name: the consumer validates what it receives against it. */
export const JOB_SCHEMAS = {
  [JobName.InboundMessage]: InboundMessageJobSchema,
  [JobName.OutboundMessage]: OutboundMessageJobSchema,
  [JobName.Sweep]: SweepJobSchema,
  [JobName.CloseIdle]: SweepJobSchema,
  [JobName.ToolCall]: ToolCallJobSchema,
  [JobName.HandoffNotify]: HandoffNotifyJobSchema,
} as const satisfies Record<JobName, z.ZodType>;

export type JobOf<N extends JobName> = z.infer<(typeof JOB_SCHEMAS)[N]>;

/** Which job names may travel on which queue. */
export const QUEUE_JOBS: Readonly<Record<QueueName, readonly JobName[]>> = {
  [QueueName.Inbound]: [JobName.InboundMessage],
  [QueueName.OutboundWeb]: [JobName.OutboundMessage],
  [QueueName.OutboundSlack]: [JobName.OutboundMessage],
  [QueueName.OutboundSms]: [JobName.OutboundMessage],
  [QueueName.OutboundWhatsapp]: [JobName.OutboundMessage],
  [QueueName.Maintenance]: [JobName.Sweep, JobName.CloseIdle],
  [QueueName.Tools]: [JobName.ToolCall],
  [QueueName.Handoff]: [JobName.HandoffNotify],
};
