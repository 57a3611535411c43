import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import type { AssistantDefinition } from '@parley/assistant';
import { JobName, OUTBOUND_QUEUE, QueueName, jobIdFor } from '@parley/contracts';
import type { HandoffContext, Ticket, TicketRepository } from '@parley/db';
import { extractEntity } from '@parley/engine';
import {
  addEntities,
  amountsIn,
  isOpenAt,
  nextOpeningAfter,
  priorityFor,
  reasonCategory,
  ticketSummary,
  whatHappensNext,
} from '@parley/handoff';
import { LOGGER, METRICS, PRODUCER, type Logger } from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import { ASSISTANT, TICKETS } from '../tokens';

/** Messages quoted in a ticket's summary, after the rolling summary. */
const SUMMARY_MESSAGES = 6;
/** Messages searched for order ids, plans and amounts. */
const ENTITY_MESSAGES = 40;
/** A ticket's SLA when the assistant's policies are not loaded (knowledge-only engine). */
const DEFAULT_SLA_MINUTES = 15;

/**
 * Opens the hand-over ticket of a conversation the engine gave to a person: reason, priority,
 * summary and entities from the masked transcript; tells the customer their place in the queue;
 * and queues the support team's notification. Idempotent: a conversation has one open ticket.
 */
@Injectable()
export class TicketOpener {
  private readonly opened: Counter<'reason'>;

  constructor(
    @Inject(TICKETS) private readonly tickets: TicketRepository,
    @Inject(ASSISTANT) private readonly definition: AssistantDefinition | null,
    @Inject(PRODUCER) private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.opened = new Counter({
      name: 'parley_handoffs_total',
      help: 'Hand-over tickets opened, by kind of escalation reason',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  get slaMinutes(): number {
    return this.definition?.policies.escalation.sla_minutes ?? DEFAULT_SLA_MINUTES;
  }

  /** Opens the ticket if the conversation has none; returns it, or null when not in handoff. */
  async open(assistantId: string, conversationId: string): Promise<Ticket | null> {
    const context = await this.tickets.handoffContext(assistantId, conversationId, ENTITY_MESSAGES);
    if (!context || context.status !== 'handoff') return null;
    const reason = context.escalationReason ?? 'handed over';
    const hours = this.definition?.policies.business_hours;
    const result = await this.tickets.open({
      assistantId,
      conversationId,
      reason,
      priority: priorityFor(reason),
      summary: ticketSummary(context.summary, context.messages.slice(-SUMMARY_MESSAGES)),
      entities: this.entitiesOf(context),
      slaMinutes: this.slaMinutes,
      notice: (position) => {
        const now = new Date();
        return whatHappensNext({
          position,
          nextOpening: hours && !isOpenAt(hours, now) ? nextOpeningAfter(hours, now) : null,
          language: context.language,
        });
      },
    });
    switch (result.kind) {
      case 'not_in_handoff':
        return null;
      case 'exists':
        return result.ticket;
      case 'created':
        break;
    }
    const { ticket, notice } = result;
    this.opened.inc({ reason: reasonCategory(reason) });
    this.logger.info(
      { conversationId, ticketId: ticket.id, priority: ticket.priority, reason },
      'hand-over ticket opened',
    );
    // The notice is stored `queued`: if this add is lost, the sweeper's outbox pass sends it.
    await this.producer.add(
      OUTBOUND_QUEUE[ticket.channel],
      JobName.OutboundMessage,
      {
        channel: ticket.channel,
        assistantId,
        conversationId,
        status: 'handoff',
        replies: [{ id: notice.id, role: 'system', text: notice.text }],
      },
      { jobId: jobIdFor('turn', notice.id) },
    );
    await this.notify(ticket, 'ticket.created');
    return ticket;
  }

  /** Queues the support team's notification; the job id makes a repeated call a no-op. */
  async notify(
    ticket: Pick<Ticket, 'id' | 'assistantId' | 'escalations'>,
    event: 'ticket.created' | 'ticket.escalated',
  ): Promise<void> {
    const escalation = event === 'ticket.escalated' ? ticket.escalations : 0;
    await this.producer.add(
      QueueName.Handoff,
      JobName.HandoffNotify,
      { assistantId: ticket.assistantId, ticketId: ticket.id, event, escalation },
      { jobId: jobIdFor('handoff', ticket.id, event, String(escalation)) },
    );
  }

  /** Order ids, plans (the assistant's pattern and list entities) and amounts the customer named. */
  private entitiesOf(context: HandoffContext): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    const declared = Object.entries(this.definition?.entities ?? {}).filter(
      ([, entity]) => entity.type === 'pattern' || entity.type === 'list',
    );
    const timeZone = this.definition?.policies.business_hours.timezone ?? 'UTC';
    for (const message of context.messages) {
      if (message.role !== 'user') continue;
      for (const [name, entity] of declared) {
        const value = extractEntity(entity, message.text, {
          messageId: '',
          timeZone,
          now: new Date(),
          asked: false,
        });
        if (value) addEntities(found, name, [String(value.value)]);
      }
      addEntities(found, 'amount', amountsIn(message.text));
    }
    return found;
  }
}
