import {
  Body,
  Controller,
  Header,
  Headers,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { DELIVERIES, INTAKE, type ChannelIntake } from '@parley/channels';
import type { DeliveryRepository, ReportedStatus } from '@parley/db';
import { CONFIG, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import type { SmsConfig } from './config';
import { InboundLimiter } from './inbound-limiter';
import { keywordOf } from './keywords';
import { twilioSignatureValid, type FormParams } from './twilio-signature';

/** An empty TwiML answer: Twilio sends nothing; replies go out through the REST API. */
const NOTHING = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Twilio's message statuses, as Parley records them; the in-flight ones change nothing. */
const STATUSES: Record<string, ReportedStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/**
 * Twilio's webhooks: `/sms/inbound` for customer messages (SMS, and Twilio WhatsApp addresses
 * `whatsapp:+…`), `/sms/status` for delivery statuses. Both are signed; both answer at once.
 */
@Controller('sms')
export class SmsController {
  constructor(
    @Inject(INTAKE) private readonly intake: ChannelIntake,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(CONFIG) private readonly config: SmsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly limiter: InboundLimiter,
  ) {}

  @Post('inbound')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async inbound(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Headers('x-twilio-signature') signature: string | undefined,
  ): Promise<string> {
    const params = this.verified(request, body, signature);
    const from = params.From;
    const sid = params.MessageSid ?? params.SmsMessageSid;
    if (!from || !sid) {
      throw new ParleyError(ErrorCode.InvalidRequest, 'Twilio message without From or MessageSid.');
    }
    const text = params.Body ?? '';
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    switch (keywordOf(text)) {
      case 'stop':
        // Twilio has stopped this number already; Parley stops trying, and says nothing.
        await this.deliveries.setOptOut(assistantId, 'sms', from, true);
        this.logger.info({ messageSid: sid }, 'customer opted out');
        return NOTHING;
      case 'start':
        await this.deliveries.setOptOut(assistantId, 'sms', from, false);
        return NOTHING;
      case 'help':
        return twiml(this.config.SMS_HELP_TEXT);
      case null:
        break;
    }
    if (!text.trim()) return NOTHING; // a picture alone: nothing the engine can read yet
    switch (await this.limiter.admit(from)) {
      case 'first_refused':
        return twiml(TOO_FAST);
      case 'refused':
        return NOTHING;
      case 'allowed':
        break;
    }
    await this.intake.accept({
      channel: 'sms',
      assistantId,
      externalUserId: from,
      text,
      providerMessageId: sid,
      verified: true,
    });
    return NOTHING;
  }

  @Post('status')
  @HttpCode(204)
  async status(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Query('reply') replyId: string | undefined,
  ): Promise<void> {
    const params = this.verified(request, body, signature);
    const status = STATUSES[params.MessageStatus ?? ''];
    if (!status) return;
    const error = params.ErrorCode ? `Twilio ${params.ErrorCode}` : undefined;
    await this.deliveries.report(
      this.config.PARLEY_ASSISTANT_ID,
      {
        ...(replyId && UUID.test(replyId) ? { id: replyId } : {}),
        channel: 'sms',
        ...(params.MessageSid ? { providerMessageId: params.MessageSid } : {}),
      },
      status,
      error,
    );
  }

  /**
   * Checks X-Twilio-Signature over the URL Twilio called (SMS_PUBLIC_URL and the path it
   * requested: this service may sit behind a proxy) and every posted parameter.
   */
  private verified(
    request: FastifyRequest,
    body: unknown,
    signature: string | undefined,
  ): Record<string, string | undefined> {
    const params = (body && typeof body === 'object' ? body : {}) as FormParams;
    const { TWILIO_AUTH_TOKEN, SMS_PUBLIC_URL } = this.config;
    if (!twilioSignatureValid(TWILIO_AUTH_TOKEN, signature, SMS_PUBLIC_URL, request.url, params)) {
      throw new ParleyError(ErrorCode.SignatureInvalid, 'The X-Twilio-Signature does not match.');
    }
    // The fields Parley reads are single-valued; a repeated one counts by its first value.
    return Object.fromEntries(
      Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
    );
  }
}

const TOO_FAST =
  'You are sending messages faster than I can answer them. Please wait a minute, then write again.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function twiml(message: string): string {
  const escaped = message.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}
