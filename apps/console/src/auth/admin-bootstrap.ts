import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { AgentRepository, type Database } from '@parley/db';
import { CONFIG, DATABASE, LOGGER, type Logger } from '@parley/platform';

import type { ConsoleConfig } from '../config';
import { hashPassword } from './password';

/**
 * CONSOLE_ADMIN_EMAIL/PASSWORD: an admin created at start when no agent of the assistant has that
 * email (an existing account keeps its password and role; with CONSOLE_ADMIN_PASSWORD_RESET, the
 * password is set anew at every start).
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { CONSOLE_ADMIN_EMAIL: email, CONSOLE_ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const repository = new AgentRepository(this.db);
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    if (this.config.CONSOLE_ADMIN_PASSWORD_RESET) {
      const reset = await repository.setPassword(assistantId, email, await hashPassword(password));
      if (reset) {
        this.logger.warn(
          { assistantId },
          'console admin password reset (CONSOLE_ADMIN_PASSWORD_RESET)',
        );
        return;
      }
    }
    const admin = await repository.createAgent({
      assistantId,
      email,
      name: 'Admin',
      role: 'admin',
      passwordHash: await hashPassword(password),
    });
    if (admin) this.logger.info({ agentId: admin.id, assistantId }, 'console admin created');
  }
}
