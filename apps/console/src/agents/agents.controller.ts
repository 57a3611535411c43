import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';

import { AgentRepository, type Database } from '@parley/db';
import { DATABASE, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import { hashPassword, generatePassword } from '../auth/password';
import { AdminOnly, SessionGuard, sessionOf, type ConsoleRequest } from '../auth/session.guard';
import { parseBody } from '../http';

const NewAgent = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(['agent', 'admin']).default('agent'),
  /** Unset: one is generated and returned once. */
  password: z.string().min(12).max(1_000).optional(),
});

/** Admins manage the agents of their own assistant. */
@Controller('console/api/agents')
@UseGuards(SessionGuard)
@AdminOnly()
export class AgentsController {
  private readonly repository: AgentRepository;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.repository = new AgentRepository(db);
  }

  @Get()
  @Header('cache-control', 'no-store')
  async list(@Req() request: ConsoleRequest) {
    return { agents: await this.repository.agents(sessionOf(request).agent.assistantId) };
  }

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  async create(@Req() request: ConsoleRequest, @Body() body: unknown) {
    const admin = sessionOf(request).agent;
    const input = parseBody(NewAgent, body);
    const password = input.password ?? generatePassword();
    const agent = await this.repository.createAgent({
      assistantId: admin.assistantId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(password),
    });
    if (!agent) throw new ParleyError(ErrorCode.AgentExists, 'An agent with this email exists.');
    this.logger.info(
      { agentId: agent.id, by: admin.id, role: agent.role },
      'console agent created',
    );
    return { agent, ...(input.password ? {} : { password }) };
  }
}
