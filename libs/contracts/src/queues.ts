import type { JobsOptions } from 'bullmq';

import type { ChannelId } from './channels';

/**
 * Queue names. DO NOT RENAME a value without a migration plan: jobs already waiting in Redis
 * under the old name would never be consumed.
 */
export enum QueueName {
  Inbound = 'inbound',
  OutboundWeb = 'outbound.web',
  OutboundSlack = 'outbound.slack',
  OutboundSms = 'outbound.sms',
  OutboundWhatsapp = 'outbound.whatsapp',
  Maintenance = 'maintenance',
  /** Tool calls, run by the tools app; the orchestrator waits for each result. */
  Tools = 'tools',
  /** Support-team notifications of hand-over tickets (Slack, webhooks), off the turn's path. */
  Handoff = 'handoff',
}

/** Job names. DO NOT RENAME a value without a migration plan (see QueueName). */
export enum JobName {
  /** A customer message was accepted by a channel; the orchestrator runs the conversation's turn. */
  InboundMessage = 'inbound.message',
  /** Replies of one turn (or an agent's message) to deliver on the conversation's channel. */
  OutboundMessage = 'outbound.message',
  /** Periodic safety net: turns and deliveries left behind by a crashed process are resumed. */
  Sweep = 'maintenance.sweep',
  /** One tool call of a turn; the job's return value is the tool's result. */
  ToolCall = 'tool.call',
  /** Periodic: conversations the bot has that went quiet are closed; the next message opens anew. */
  CloseIdle = 'maintenance.close-idle',
  /** A ticket was opened or escalated: tell the support channel and the help-desk webhook. */
  HandoffNotify = 'handoff.notify',
}

export const OUTBOUND_QUEUE: Readonly<Record<ChannelId, QueueName>> = {
  web: QueueName.OutboundWeb,
  slack: QueueName.OutboundSlack,
  sms: QueueName.OutboundSms,
  whatsapp: QueueName.OutboundWhatsapp,
};

const HOUR = 3_600;
const DAY = 24 * HOUR;

/** Bounded retention: completed jobs are kept long enough for jobId dedupe of quick retries. */
const retention = {
  removeOnComplete: { age: HOUR, count: 50_000 },
  removeOnFail: { age: 7 * DAY, count: 50_000 },
} satisfies JobsOptions;

export const JOB_OPTIONS: Readonly<Record<JobName, JobsOptions>> = {
  [JobName.InboundMessage]: {
    ...retention,
    attempts: 8,
    backoff: { type: 'exponential', delay: 500 },
  },
  [JobName.OutboundMessage]: {
    ...retention,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
  },
  [JobName.Sweep]: {
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
    attempts: 1,
  },
  [JobName.ToolCall]: {
    // Kept an hour: a turn replayed after a crash finds the result instead of calling again.
    removeOnComplete: { age: HOUR, count: 50_000 },
    removeOnFail: { age: 7 * DAY, count: 50_000 },
    // A tool turns its own errors into a failure result; only a crashed worker fails the job,
    // and the turn has stopped waiting by then. The ledger keeps a re-run from acting twice.
    attempts: 1,
  },
  [JobName.CloseIdle]: {
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
    attempts: 1,
  },
  [JobName.HandoffNotify]: {
    ...retention,
    // 2 s doubling over 8 attempts: a receiver may be down for about four minutes.
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
  },
};

/**
 * BullMQ forbids ':' in custom job ids (it is Redis' key separator); provider ids may hold one.
 * The mapping is injective, so distinct provider ids keep distinct job ids.
 */
export function jobIdFor(...parts: string[]): string {
  return parts.map((part) => encodeURIComponent(part)).join('.');
}
