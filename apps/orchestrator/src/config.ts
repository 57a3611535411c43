import { z } from 'zod';

import { assistantConfigShape } from '@parley/assistant';
import { baseConfigShape, port, positiveInt } from '@parley/config';

export const orchestratorConfigSchema = z.object({
  ...baseConfigShape,
  ...assistantConfigShape,
  /**
   * builtin: the conversation engine on the assistant folder (intents, flows, policies, tools,
   * knowledge). knowledge: answers from the knowledge base only (the walking skeleton's engine).
   */
  PARLEY_ENGINE: z.enum(['builtin', 'knowledge']).default('builtin'),
  /**
   * Longest a turn waits for a tool call's result from the tools app (queueing included); then
   * the flow's failure reply is given.
   */
  TOOL_WAIT_MS: positiveInt(10_000),
  /** Health and metrics only; the orchestrator takes its work from queues. */
  PORT: port(3001),
  /** Inbound jobs handled at once by this process (turns of one conversation never overlap). */
  ORCHESTRATOR_CONCURRENCY: positiveInt(32),
  /** A conversation's turn lease; kept alive by a heartbeat, lapses this long after a crash. */
  TURN_LEASE_TTL_MS: positiveInt(10_000),
  /** BullMQ job lock; a crashed process's job is redelivered after it lapses. */
  JOB_LOCK_MS: positiveInt(30_000),
  JOB_STALLED_INTERVAL_MS: positiveInt(15_000),
  /** How often the sweeper looks for turns and deliveries a crashed process left behind. */
  SWEEP_INTERVAL_MS: positiveInt(5_000),
  /** A pending message or undelivered reply older than this is picked up by the sweeper. */
  SWEEP_STALE_AFTER_MS: positiveInt(10_000),
  /** A conversation the bot has, quiet this long, is closed; the customer's next message opens a new one. */
  CONVERSATION_IDLE_MINUTES: positiveInt(60),
  /** How often idle conversations are looked for. */
  CLOSE_IDLE_INTERVAL_MS: positiveInt(60_000),
  KNOWLEDGE_LANGUAGE: z
    .string()
    .regex(/^[a-z_]+$/)
    .default('english'),
  KNOWLEDGE_MIN_COVERAGE: z.coerce.number().min(0).max(1).default(0.5),
  ANSWER_MAX_CHARS: positiveInt(700),
});

export type OrchestratorConfig = z.infer<typeof orchestratorConfigSchema>;
