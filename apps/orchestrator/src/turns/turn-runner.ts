import { Inject, Injectable } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import type { Registry } from 'prom-client';

import { CHANNEL_CAPABILITIES, JobName, OUTBOUND_QUEUE, jobIdFor } from '@parley/contracts';
import type { CustomerRepository, PendingMessage, TurnContext, TurnRepository } from '@parley/db';
import { fitReplies, type Engine, type EngineReply } from '@parley/engine';
import { LOGGER, METRICS, PRODUCER, tracer, withSpan, type Logger } from '@parley/platform';
import type { LeaseManager, QueueProducer } from '@parley/queue';

import { TicketOpener } from '../handoff/ticket-opener';
import { CUSTOMERS, ENGINE, LEASES, STREAMS, TURNS } from '../tokens';
import type { StreamPublisher } from './stream-publisher';
import { TurnMetrics, type Stage } from './turn-metrics';

export type DrainResult = 'drained' | 'busy';

/** Messages of the conversation the engine sees before the current one. */
const HISTORY_WINDOW = 12;

/**
 * Runs the turns of one conversation, one at a time and in the order the messages were accepted,
 * whichever orchestrator replica gets the job: the conversation lease admits one runner, the
 * sequence number orders the messages, and the fenced commit makes each turn happen once.
 */
@Injectable()
export class TurnRunner {
  private readonly metrics: TurnMetrics;

  constructor(
    @Inject(TURNS) private readonly turns: TurnRepository,
    @Inject(CUSTOMERS) private readonly customers: CustomerRepository,
    @Inject(ENGINE) private readonly engine: Engine,
    @Inject(LEASES) private readonly leases: LeaseManager,
    @Inject(PRODUCER) private readonly producer: QueueProducer,
    @Inject(STREAMS) private readonly streams: StreamPublisher,
    private readonly handoff: TicketOpener,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.metrics = new TurnMetrics(registry);
  }

  /**
   * Runs every pending turn of the conversation. 'busy' means another runner holds the lease; the
   * attempt knocked on it, so that runner runs the new message before it is done.
   */
  async drain(assistantId: string, conversationId: string): Promise<DrainResult> {
    for (;;) {
      const lease = await this.leases.tryAcquire(`conversation:${conversationId}`);
      if (!lease) return 'busy';
      let knocked = false;
      try {
        const readAt = new Date();
        const started = performance.now();
        const next = await this.turns.nextTurns(assistantId, conversationId, HISTORY_WINDOW);
        // The first turn's context came with the pending messages; later ones read their own.
        const first: Prefetched = {
          context: next.context,
          readAt,
          ms: round(performance.now() - started),
        };
        for (const [index, message] of next.messages.entries()) {
          if (lease.lost) break;
          await withSpan('turn', { attributes: turnAttributes(message) }, (span) =>
            this.runTurn(message, span, index === 0 ? first : undefined),
          ).catch((error: unknown) => {
            this.metrics.outcomes.inc({ outcome: 'failed' });
            throw error;
          });
        }
      } finally {
        ({ knocked } = await lease.release());
      }
      // Messages stored while we ran found the lease taken and knocked: they are ours to run.
      if (!knocked) return 'drained';
    }
  }

  private async runTurn(
    message: PendingMessage,
    span: Span,
    prefetched: Prefetched | undefined,
  ): Promise<void> {
    const startedAt = new Date();
    const log = this.logger.child({
      conversationId: message.conversationId,
      messageId: message.id,
    });
    const timings: Partial<Record<Stage, number>> = {
      queue: Math.max(0, startedAt.getTime() - message.createdAt.getTime()),
    };
    // The queue stage as a span of its own: from the message being accepted to this turn.
    tracer.startSpan('turn.queue', { startTime: message.createdAt }).end(startedAt);
    const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await withSpan(`turn.${stage}`, {}, work);
      } finally {
        timings[stage] = round(performance.now() - started);
      }
    };

    const capabilities = CHANNEL_CAPABILITIES[message.channel];
    if (prefetched) {
      timings.context = prefetched.ms;
      // The stage's span as if it ran in the turn: the read it came with, before the turn began.
      const endTime = new Date(prefetched.readAt.getTime() + prefetched.ms);
      tracer.startSpan('turn.context', { startTime: prefetched.readAt }).end(endTime);
    }
    const context = prefetched
      ? prefetched.context
      : await timed('context', () => this.turns.context(message, HISTORY_WINDOW));
    // A person has the conversation (or it is over): record the message, say nothing.
    const silent = context !== null && context.status !== 'bot';
    const streaming = capabilities.streaming && !silent;
    if (streaming) this.streams.typing(message.conversationId, message.id);
    const reply: EngineReply = silent
      ? { replies: [], intent: 'silent.' + context.status }
      : await timed('respond', () =>
          this.engine.respond({
            assistantId: message.assistantId,
            conversationId: message.conversationId,
            channel: message.channel,
            capabilities,
            text: message.text,
            messageId: message.id,
            ...(context ? { context } : {}),
            ...(streaming
              ? { stream: this.streams.draft(message.conversationId, message.id) }
              : {}),
          }),
        );
    // Output guard: the channel's length, format and button budget, whatever the engine wrote.
    reply.replies = fitReplies(reply.replies, capabilities);
    const latencyMs = Math.max(0, Date.now() - message.createdAt.getTime());
    const result = await timed('persist', () =>
      this.turns.commitTurn({
        message,
        replies: reply.replies,
        engine: reply.engine ?? this.engine.name,
        ...(reply.usage ? { usage: reply.usage } : {}),
        timings,
        latencyMs,
        startedAt,
        ...(reply.intent ? { intent: reply.intent } : {}),
        ...(reply.confidence !== undefined ? { confidence: reply.confidence } : {}),
        ...(reply.state !== undefined ? { state: reply.state } : {}),
        ...(reply.status ? { status: reply.status } : {}),
        ...(reply.escalationReason ? { escalationReason: reply.escalationReason } : {}),
        ...(reply.summary ? { summary: reply.summary } : {}),
        ...(reply.language ? { language: reply.language } : {}),
        ...(reply.outcome ? { outcome: reply.outcome } : {}),
        ...(reply.facts?.length ? { facts: reply.facts } : {}),
        ...(reply.rating ? { rating: reply.rating } : {}),
      }),
    );
    span.setAttributes({
      'parley.engine': reply.engine ?? this.engine.name,
      ...(reply.intent ? { 'parley.intent': reply.intent } : {}),
      'parley.outcome': result.kind === 'already_done' ? 'already_done' : 'committed',
    });
    if (result.kind === 'already_done') {
      this.metrics.outcomes.inc({ outcome: 'already_done' });
      log.warn('turn already committed elsewhere; nothing sent');
      return;
    }
    await timed('dispatch', () =>
      this.producer.add(
        OUTBOUND_QUEUE[message.channel],
        JobName.OutboundMessage,
        {
          channel: message.channel,
          assistantId: message.assistantId,
          conversationId: message.conversationId,
          inReplyTo: message.id,
          status: result.status,
          replies: result.replies.map((r) => ({ ...r, role: 'assistant' as const })),
        },
        { jobId: jobIdFor('turn', message.id) },
      ),
    );
    if (reply.status === 'handoff' && result.status === 'handoff') {
      // After the escalating reply is on its way; if this fails, the sweeper opens the ticket.
      try {
        await this.handoff.open(message.assistantId, message.conversationId);
      } catch (error) {
        log.error({ err: error }, 'ticket not opened; the sweeper will open it');
      }
    }
    if (reply.erase && context) {
      // After the reply is on its way (its job carries the text): then nothing of theirs remains.
      const erased = await this.customers.erase(message.assistantId, context.customerId, {
        type: 'customer',
        id: context.customerId,
        reason: 'the customer asked to be forgotten',
      });
      log.info({ erased }, 'customer erased on request');
    }
    for (const guard of reply.guards ?? []) this.metrics.guards.inc({ guard });
    if (reply.usage) {
      this.metrics.modelTokens.inc({ direction: 'in' }, reply.usage.tokensIn);
      this.metrics.modelTokens.inc({ direction: 'out' }, reply.usage.tokensOut);
      if (reply.usage.costUsd) this.metrics.modelCost.inc(reply.usage.costUsd);
    }
    for (const [stage, ms] of Object.entries(timings)) {
      this.metrics.stage.observe({ stage }, ms / 1000);
    }
    this.metrics.total.observe({ engine: this.engine.name }, latencyMs / 1000);
    this.metrics.outcomes.inc({ outcome: 'committed' });
    log.debug({ timings, intent: reply.intent }, 'turn committed');
  }
}

/** The context read together with the pending messages, and how long that read took. */
interface Prefetched {
  context: TurnContext | null;
  readAt: Date;
  ms: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Ids only: a turn's span never carries what the customer wrote. */
const turnAttributes = (message: PendingMessage) => ({
  'parley.channel': message.channel,
  'parley.assistant_id': message.assistantId,
  'parley.conversation_id': message.conversationId,
  'parley.message_id': message.id,
});
