import { randomUUID } from 'node:crypto';

import { Controller, Get, Header, HttpCode, Inject, Post, type OnModuleInit } from '@nestjs/common';

import { CONFIG, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import type { WebConfig } from '../config';
import { userHashFor } from '@parley/contracts';
import { DEMO_CSS, DEMO_HTML, DEMO_JS } from './demo-page';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** What the demo page needs to know before it draws itself. */
export interface DemoConfigResponse {
  signIn: boolean;
}

export interface DemoSignInResponse {
  userId: string;
  userHash: string;
}

@Controller()
export class DemoController implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: WebConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    if (this.signInSecret()) {
      this.logger.warn(
        'WEB_DEMO_SIGN_IN is on, so anyone can obtain a verified identity: for the demo only',
      );
    }
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  page() {
    return DEMO_HTML;
  }

  @Get('demo.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script() {
    return DEMO_JS;
  }

  @Get('demo.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style() {
    return DEMO_CSS;
  }

  @Get('demo/config')
  @Header('cache-control', 'no-store')
  demoConfig(): DemoConfigResponse {
    return { signIn: this.signInSecret() !== undefined };
  }

  /**
   * Plays the business's backend after it logged a customer in: a fresh customer id with its
   * userHash. Anyone may call it, which is why it exists only while WEB_DEMO_SIGN_IN is on.
   */
  @Post('demo/sign-in')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  signIn(): DemoSignInResponse {
    const secret = this.signInSecret();
    if (!secret) {
      throw new ParleyError(
        ErrorCode.NotFound,
        'Demo sign-in is off: the web service runs without WEB_DEMO_SIGN_IN.',
      );
    }
    const userId = `demo-${randomUUID()}`;
    return { userId, userHash: userHashFor(secret, userId) };
  }

  /** The identity secret when demo sign-in is on (config validation makes the one need the other). */
  private signInSecret(): string | undefined {
    return this.config.WEB_DEMO_SIGN_IN ? this.config.WEB_IDENTITY_SECRET : undefined;
  }
}
