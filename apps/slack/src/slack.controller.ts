import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';

import { slackRequestSigned } from '@parley/channels';
import { CONFIG, ErrorCode, ParleyError } from '@parley/platform';

import type { SlackConfig } from './config';
import { ReplayGuard } from './replay-guard';
import { SlackInbound, type Delivery } from './slack-inbound';

interface SlackHeaders {
  'x-slack-signature'?: string;
  'x-slack-request-timestamp'?: string;
  'x-slack-retry-num'?: string;
}

/**
 * Slack's HTTP requests: `/slack/events` (the Events API: URL verification and event callbacks)
 * and `/slack/interactivity` (button clicks). Each is checked against its signature before its
 * body is even parsed, and answered as soon as the message is stored: Slack waits 3 seconds.
 */
@Controller('slack')
export class SlackController {
  constructor(
    @Inject(CONFIG) private readonly config: SlackConfig,
    private readonly inbound: SlackInbound,
    private readonly replays: ReplayGuard,
  ) {}

  @Post('events')
  @HttpCode(200)
  async events(
    @Body() raw: unknown,
    @Headers() headers: SlackHeaders,
  ): Promise<{ challenge: string } | undefined> {
    return this.verified(raw, headers, async (body) => {
      const payload = parseJson(body);
      if (payload.type === 'url_verification') {
        return { challenge: typeof payload.challenge === 'string' ? payload.challenge : '' };
      }
      await this.inbound.event(payload, delivery(headers));
      return undefined;
    });
  }

  @Post('interactivity')
  @HttpCode(200)
  async interactivity(@Body() raw: unknown, @Headers() headers: SlackHeaders): Promise<void> {
    await this.verified(raw, headers, async (body) => {
      const field = new URLSearchParams(body).get('payload');
      if (!field) throw new ParleyError(ErrorCode.InvalidRequest, 'No payload field.');
      await this.inbound.interaction(parseJson(field), delivery(headers));
    });
  }

  /**
   * Runs `handle` on the raw body if Slack signed it within the window and it was not taken
   * before; otherwise 403 and nothing is read. A request that fails may be sent again.
   */
  private async verified<T>(
    raw: unknown,
    headers: SlackHeaders,
    handle: (body: string) => Promise<T>,
  ): Promise<T> {
    const rawBody = typeof raw === 'string' ? raw : '';
    const signature = headers['x-slack-signature'];
    const valid = slackRequestSigned(this.config.SLACK_SIGNING_SECRET ?? '', {
      rawBody,
      signature,
      timestamp: headers['x-slack-request-timestamp'],
    });
    if (!valid || !signature) {
      throw new ParleyError(
        ErrorCode.SignatureInvalid,
        'The X-Slack-Signature does not match, or its timestamp is over 5 minutes off.',
      );
    }
    if (!(await this.replays.first(signature))) {
      throw new ParleyError(ErrorCode.SignatureInvalid, 'This signed request was received before.');
    }
    try {
      return await handle(rawBody);
    } catch (error) {
      await this.replays.forget(signature);
      throw error;
    }
  }
}

function delivery(headers: SlackHeaders): Delivery {
  const retry = Number(headers['x-slack-retry-num']);
  return {
    transport: 'http',
    ...(Number.isInteger(retry) && retry > 0 ? { retryNum: retry } : {}),
  };
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ParleyError(ErrorCode.InvalidJson, 'The payload is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ParleyError(ErrorCode.InvalidRequest, 'The payload is not a JSON object.');
  }
  return value as Record<string, unknown>;
}
