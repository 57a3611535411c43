import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { ShutdownCoordinator } from '@parley/platform';

import { SessionGuard, sessionOf, type ConsoleRequest } from '../auth/session.guard';
import { Sessions } from '../auth/sessions';
import { ticketId } from '../http';
import { TicketsService } from './tickets.service';

const POLL_MS = 1_000;
/** The session is re-checked this often, so a logout or an expiry ends the stream. */
const RECHECK_EVERY = 15;

/**
 * Server-Sent Events of one ticket: each message of its conversation as it is stored (`message`)
 * and the ticket's status (`ticket`) when it changes. It polls Postgres once a second: messages are
 * written by the orchestrator, the channel apps and any console replica, and polling the
 * (conversation_id, seq) unique index sees them all without a trigger or a NOTIFY in every writer.
 * A client that reconnects sends Last-Event-ID (the last seq) and misses nothing.
 */
@Controller('console/api')
@UseGuards(SessionGuard)
export class TicketEventsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly sessions: Sessions,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
  ) {}

  @Get('tickets/:id/events')
  async events(
    @Req() request: ConsoleRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query('after') after: unknown,
  ): Promise<void> {
    const session = sessionOf(request);
    const { agent } = session;
    const ticket = await this.tickets.ticket(agent, ticketId(id));
    const lastEventId = request.headers['last-event-id'];
    let seq = Number(typeof lastEventId === 'string' ? lastEventId : after) || 0;
    let status = `${ticket.status}:${ticket.assignedAgentId ?? ''}`;

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    raw.write('retry: 2000\n\n');

    let ticks = 0;
    let busy = false;
    let closed = false;
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      raw.end();
    };
    const tick = async () => {
      ticks += 1;
      if (ticks % RECHECK_EVERY === 0 && !(await this.sessions.stillValid(session.key))) {
        raw.write('event: signed-out\ndata: {}\n\n');
        return stop();
      }
      const messages = await this.tickets.repository.messages(
        agent.assistantId,
        ticket.conversationId,
        seq,
      );
      for (const message of messages) {
        raw.write(`id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        seq = message.seq;
      }
      const now = await this.tickets.repository.ticket(agent.assistantId, ticket.id);
      const current = now ? `${now.status}:${now.assignedAgentId ?? ''}` : 'gone';
      if (current !== status) {
        status = current;
        raw.write(`event: ticket\ndata: ${JSON.stringify(now)}\n\n`);
      }
      if (ticks % RECHECK_EVERY === 0) raw.write(': keep-alive\n\n');
    };
    const run = async () => {
      if (busy || closed) return;
      if (this.shutdown.isStopping) return stop();
      busy = true;
      await tick()
        .catch(() => stop())
        .finally(() => (busy = false));
    };
    const timer = setInterval(() => void run(), POLL_MS);
    raw.on('close', stop);
    await run();
  }
}
