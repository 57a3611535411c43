import { Inject, Injectable } from '@nestjs/common';

import {
  CHANNEL_CAPABILITIES,
  JobName,
  OUTBOUND_QUEUE,
  jobIdFor,
  type ChannelId,
  type OutboundReply,
} from '@parley/contracts';
import {
  AgentRepository,
  ConsoleRepository,
  ReviewRepository,
  type ConsoleAgent,
  type Database,
  type StoredReply,
} from '@parley/db';
import { fitReplies } from '@parley/engine';
import { DATABASE, ErrorCode, LOGGER, ParleyError, PRODUCER, type Logger } from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

/** What the customer reads when an agent resolves their ticket; the engine records the rating. */
export const RATING_NOTICE =
  'You are back with the assistant. How would you rate the help you got, from 1 (poor) to 5 (great)?';
export const RATING_CHOICES = ['1', '2', '3', '4', '5'];

/**
 * Ticket actions that reach the customer: an agent's reply and the hand-back on resolve are
 * stored (queued) and then sent through outbound.<channel>, exactly like the bot's replies, so
 * the channel app renders, rate-limits and records delivery the same way.
 */
@Injectable()
export class TicketsService {
  readonly repository: ConsoleRepository;
  readonly agents: AgentRepository;
  /** Transcript search. */
  readonly review: ReviewRepository;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(PRODUCER) private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.repository = new ConsoleRepository(db);
    this.agents = new AgentRepository(db);
    this.review = new ReviewRepository(db);
  }

  /** The ticket in the agent's assistant, or 404 (another assistant's tickets do not exist). */
  async ticket(agent: ConsoleAgent, id: string) {
    const ticket = await this.repository.ticket(agent.assistantId, id);
    if (!ticket) throw new ParleyError(ErrorCode.TicketNotFound, 'No such ticket.');
    return ticket;
  }

  async claim(agent: ConsoleAgent, id: string): Promise<void> {
    this.refuse(await this.repository.claim(agent.assistantId, id, agent.id));
  }

  async assign(admin: ConsoleAgent, id: string, agentId: string): Promise<void> {
    await this.ticket(admin, id);
    const target = await this.agents.agent(admin.assistantId, agentId);
    if (!target || target.disabledAt) {
      throw new ParleyError(ErrorCode.AgentNotFound, 'No such agent.');
    }
    this.refuse(await this.repository.assign(admin.assistantId, id, agentId));
  }

  async reply(agent: ConsoleAgent, id: string, text: string): Promise<{ id: string }> {
    const ticket = await this.ticket(agent, id);
    if (ticket.status === 'resolved') {
      throw new ParleyError(ErrorCode.TicketResolved, 'The ticket is resolved.');
    }
    if (ticket.assignedAgentId !== agent.id) {
      throw new ParleyError(ErrorCode.TicketNotYours, 'Claim the ticket before replying.');
    }
    // Through the bot's output guard: no card number or SSN is stored or sent, whoever typed it;
    // the text in the channel's format and length, a long reply as several messages in order.
    const parts = fitReplies([{ text }], CHANNEL_CAPABILITIES[ticket.channel as ChannelId]);
    const stored = await this.repository.appendOutgoing(
      agent.assistantId,
      ticket.conversationId,
      parts.map((part) => ({ role: 'agent' as const, text: part.text })),
    );
    if (!stored) throw new ParleyError(ErrorCode.TicketNotFound, 'No such ticket.');
    await this.send(
      stored[0]!,
      stored.map((message, i) => ({ id: message.id, role: 'agent', text: parts[i]!.text })),
    );
    this.logger.info(
      {
        conversationId: ticket.conversationId,
        ticketId: id,
        agentId: agent.id,
        parts: parts.length,
      },
      'agent reply queued',
    );
    return { id: stored[0]!.id };
  }

  async resolve(agent: ConsoleAgent, id: string): Promise<void> {
    const ticket = await this.ticket(agent, id);
    if (ticket.status === 'resolved') {
      throw new ParleyError(ErrorCode.TicketResolved, 'The ticket is resolved already.');
    }
    if (ticket.assignedAgentId !== agent.id && agent.role !== 'admin') {
      throw new ParleyError(ErrorCode.TicketNotYours, 'Only its agent or an admin may resolve it.');
    }
    // In the channel's way: buttons where it has them, numbered options (a digit answers) where not.
    const [notice] = fitReplies(
      [{ text: RATING_NOTICE, quickReplies: RATING_CHOICES }],
      CHANNEL_CAPABILITIES[ticket.channel as ChannelId],
    );
    const quickReplies = notice!.quickReplies ?? [];
    const result = await this.repository.resolve(agent.assistantId, id, {
      text: notice!.text,
      quickReplies,
    });
    if (!result) throw new ParleyError(ErrorCode.TicketResolved, 'The ticket is resolved already.');
    if (result.notice) {
      await this.send(result.notice, [
        {
          id: result.notice.id,
          role: 'system',
          text: notice!.text,
          ...(quickReplies.length ? { quickReplies } : {}),
        },
      ]);
    }
    this.logger.info(
      { conversationId: ticket.conversationId, ticketId: id, agentId: agent.id },
      'ticket resolved; conversation handed back to the bot',
    );
  }

  /**
   * The messages are stored first: if this enqueue fails, the sweeper resends them (outbox). One
   * job for a reply's parts, so they are sent in order.
   */
  private async send(stored: StoredReply, replies: OutboundReply[]): Promise<void> {
    await this.producer.add(
      OUTBOUND_QUEUE[stored.channel],
      JobName.OutboundMessage,
      {
        channel: stored.channel,
        assistantId: stored.assistantId,
        conversationId: stored.conversationId,
        status: stored.status,
        replies,
      },
      { jobId: jobIdFor('console', stored.id) },
    );
  }

  private refuse(outcome: 'claimed' | 'not_found' | 'taken' | 'resolved'): void {
    switch (outcome) {
      case 'claimed':
        return;
      case 'not_found':
        throw new ParleyError(ErrorCode.TicketNotFound, 'No such ticket.');
      case 'taken':
        throw new ParleyError(ErrorCode.TicketClaimed, 'Another agent has this ticket.');
      case 'resolved':
        throw new ParleyError(ErrorCode.TicketResolved, 'The ticket is resolved.');
    }
  }
}
