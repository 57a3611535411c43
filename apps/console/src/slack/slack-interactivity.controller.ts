import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';

import { slackRequestSigned } from '@parley/channels';
import { claimClickOf } from '@parley/handoff';
import { CONFIG, ErrorCode, ParleyError } from '@parley/platform';

import type { ConsoleConfig } from '../config';
import { SlackClaims } from './slack-claims';

interface SlackHeaders {
  'x-slack-signature'?: string;
  'x-slack-request-timestamp'?: string;
}

/**
 * The Interactivity Request URL of the support channel's Slack app: clicks on the ticket
 * notices' Claim button. Checked against the signing secret before the body is read, and
 * answered at once (Slack waits 3 seconds); the claim runs after. 404 without a signing secret.
 */
@Controller('console/slack')
export class SlackInteractivityController {
  constructor(
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    private readonly claims: SlackClaims,
  ) {}

  @Post('interactivity')
  @HttpCode(200)
  interactivity(@Body() raw: unknown, @Headers() headers: SlackHeaders): void {
    const signingSecret = this.config.HANDOFF_SLACK_SIGNING_SECRET;
    if (!signingSecret) throw new ParleyError(ErrorCode.NotFound, 'Not found.');
    const rawBody = typeof raw === 'string' ? raw : '';
    const signed = slackRequestSigned(signingSecret, {
      rawBody,
      signature: headers['x-slack-signature'],
      timestamp: headers['x-slack-request-timestamp'],
    });
    if (!signed) {
      throw new ParleyError(
        ErrorCode.SignatureInvalid,
        'The X-Slack-Signature does not match, or its timestamp is over 5 minutes off.',
      );
    }
    const field = new URLSearchParams(rawBody).get('payload');
    if (!field) throw new ParleyError(ErrorCode.InvalidRequest, 'No payload field.');
    let payload: unknown;
    try {
      payload = JSON.parse(field);
    } catch {
      throw new ParleyError(ErrorCode.InvalidJson, 'The payload is not valid JSON.');
    }
    // Other interactions (none are sent today) are acknowledged and ignored.
    const click = claimClickOf(payload);
    if (click) this.claims.start(click);
  }
}
