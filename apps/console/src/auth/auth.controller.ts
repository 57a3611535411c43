import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { AgentRepository, type ConsoleAgent, type Database } from '@parley/db';
import { CONFIG, DATABASE, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import type { ConsoleConfig } from '../config';
import { parseBody } from '../http';
import { LoginLimiter, TooManyAttempts } from './login-limiter';
import { DECOY_HASH, verifyPassword } from './password';
import { SessionGuard, sessionOf, type ConsoleRequest } from './session.guard';
import { Sessions } from './sessions';

const LoginBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1_000),
  /** Which assistant's console; defaults to the one this process serves. */
  assistant: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
});

export interface MeResponse {
  agent: { id: string; email: string; name: string; role: string; assistantId: string };
  csrfToken: string;
}

const me = (agent: ConsoleAgent, csrfToken: string): MeResponse => ({
  agent: {
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    assistantId: agent.assistantId,
  },
  csrfToken,
});

@Controller('console/api')
export class AuthController {
  private readonly repository: AgentRepository;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly sessions: Sessions,
    private readonly limiter: LoginLimiter,
  ) {
    this.repository = new AgentRepository(db);
  }

  /**
   * Not CSRF-protected by token (there is no session yet): it accepts only application/json,
   * which a cross-site form cannot send, and the cookie it sets is SameSite=Strict.
   */
  @Post('login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async login(
    @Body() body: unknown,
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeResponse> {
    const input = parseBody(LoginBody, body);
    const assistantId = input.assistant ?? this.config.PARLEY_ASSISTANT_ID;
    const email = input.email.toLowerCase();
    const emailKey = `${assistantId}:${email}`;
    try {
      await this.limiter.attempt(emailKey, request.ip);
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        void reply.header('retry-after', String(error.retryAfterSeconds));
        this.logger.warn({ assistantId }, 'console sign-in rate-limited');
      }
      throw error;
    }
    const agent = await this.repository.agentForLogin(assistantId, email);
    // An unknown email costs the same scrypt as a known one: timing does not reveal accounts.
    const ok = await verifyPassword(input.password, agent?.passwordHash ?? DECOY_HASH);
    if (!agent || !ok || agent.disabledAt) {
      throw new ParleyError(ErrorCode.InvalidCredentials, 'Wrong email or password.');
    }
    await this.limiter.succeeded(emailKey, request.ip);
    const session = await this.sessions.start(agent.id);
    void reply.header('set-cookie', this.sessions.setCookie(session.id));
    this.logger.info({ agentId: agent.id, assistantId }, 'console sign-in');
    return me(agent, session.csrfToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async logout(
    @Req() request: ConsoleRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.end(sessionOf(request).key);
    void reply.header('set-cookie', this.sessions.clearCookie());
  }

  @Get('me')
  @Header('cache-control', 'no-store')
  @UseGuards(SessionGuard)
  whoAmI(@Req() request: ConsoleRequest): MeResponse {
    const session = sessionOf(request);
    return me(session.agent, session.csrfToken);
  }
}
