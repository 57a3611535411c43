import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';

import { AdminOnly, SessionGuard, sessionOf, type ConsoleRequest } from '../auth/session.guard';
import { parseBody, ticketId } from '../http';
import { TicketsService } from './tickets.service';

const InboxQuery = z.object({
  status: z.enum(['open', 'claimed', 'resolved']).optional(),
  priority: z.coerce.number().int().min(0).max(10).optional(),
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  q: z.string().trim().max(200).optional(),
});
const TextBody = z.object({ text: z.string().trim().min(1).max(4_000) });
const AssignBody = z.object({ agentId: z.uuid() });
const SearchQuery = z.object({ q: z.string().trim().min(2).max(200) });

/** A ticket past its SLA without an agent (the SLA is time to claim). */
const breached = (t: { slaDueAt: Date | null; claimedAt: Date | null }) =>
  t.slaDueAt !== null && (t.claimedAt ?? new Date()).getTime() > t.slaDueAt.getTime();

@Controller('console/api')
@UseGuards(SessionGuard)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets')
  @Header('cache-control', 'no-store')
  async inbox(@Req() request: ConsoleRequest, @Query() query: unknown) {
    const { agent } = sessionOf(request);
    const filters = parseBody(InboxQuery, query);
    const tickets = await this.tickets.repository.inbox(agent.assistantId, agent.id, {
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.priority !== undefined ? { priority: filters.priority } : {}),
      ...(filters.assigned !== 'any' ? { assigned: filters.assigned } : {}),
      ...(filters.q ? { q: filters.q } : {}),
    });
    return {
      now: new Date().toISOString(),
      tickets: tickets.map((t) => ({ ...t, slaBreached: breached(t) })),
    };
  }

  @Get('tickets/:id')
  @Header('cache-control', 'no-store')
  async detail(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const { agent } = sessionOf(request);
    const ticket = await this.tickets.ticket(agent, ticketId(id));
    const [messages, notes] = await Promise.all([
      this.tickets.repository.messages(agent.assistantId, ticket.conversationId),
      this.tickets.repository.notes(agent.assistantId, ticket.id),
    ]);
    return { ticket: { ...ticket, slaBreached: breached(ticket) }, messages, notes };
  }

  @Post('tickets/:id/claim')
  @HttpCode(200)
  async claim(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const { agent } = sessionOf(request);
    await this.tickets.claim(agent, ticketId(id));
    return { ok: true };
  }

  @Post('tickets/:id/assign')
  @HttpCode(200)
  @AdminOnly()
  async assign(@Req() request: ConsoleRequest, @Param('id') id: string, @Body() body: unknown) {
    const { agent } = sessionOf(request);
    const tid = ticketId(id);
    const { agentId } = parseBody(AssignBody, body);
    await this.tickets.assign(agent, tid, agentId);
    return { ok: true };
  }

  @Post('tickets/:id/reply')
  @HttpCode(201)
  async reply(@Req() request: ConsoleRequest, @Param('id') id: string, @Body() body: unknown) {
    const { agent } = sessionOf(request);
    const tid = ticketId(id);
    const { text } = parseBody(TextBody, body);
    return this.tickets.reply(agent, tid, text);
  }

  @Post('tickets/:id/notes')
  @HttpCode(201)
  async note(@Req() request: ConsoleRequest, @Param('id') id: string, @Body() body: unknown) {
    const { agent } = sessionOf(request);
    const ticket = await this.tickets.ticket(agent, ticketId(id));
    const { text } = parseBody(TextBody, body);
    return this.tickets.repository.addNote(agent.assistantId, ticket.id, agent.id, text);
  }

  @Post('tickets/:id/resolve')
  @HttpCode(200)
  async resolve(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const { agent } = sessionOf(request);
    await this.tickets.resolve(agent, ticketId(id));
    return { ok: true };
  }

  @Get('search')
  @Header('cache-control', 'no-store')
  async search(@Req() request: ConsoleRequest, @Query() query: unknown) {
    const { agent } = sessionOf(request);
    const { q } = parseBody(SearchQuery, query);
    return { results: await this.tickets.review.search(agent.assistantId, q) };
  }
}
