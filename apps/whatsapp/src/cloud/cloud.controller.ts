import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Inject,
  Post,
  Query,
} from '@nestjs/common';

import { DELIVERIES, INTAKE, safeEqual, type ChannelIntake } from '@parley/channels';
import type { DeliveryRepository } from '@parley/db';
import { CONFIG, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import { cloudSettings, type CloudSettings, type WhatsAppConfig } from '../config';
import { hubSignatureValid } from './hub-signature';
import { CloudTypingIndicator } from './typing-indicator';
import { CloudWebhookSchema, eventsOf } from './webhook-payload';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Meta's webhook for the WhatsApp Cloud API: `GET` answers the subscription check, `POST` carries
 * customer messages and the statuses of replies, signed over the raw body. Answers at once: a
 * message is stored and queued, its typing indicator started, the turn runs elsewhere.
 */
@Controller('whatsapp')
export class CloudController {
  private readonly cloud: CloudSettings;
  private readonly typing: CloudTypingIndicator;

  constructor(
    @Inject(INTAKE) private readonly intake: ChannelIntake,
    @Inject(DELIVERIES) private readonly deliveries: DeliveryRepository,
    @Inject(CONFIG) private readonly config: WhatsAppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cloud = cloudSettings(config);
    this.typing = new CloudTypingIndicator(config, this.cloud, logger);
  }

  @Get('webhook')
  @Header('content-type', 'text/plain; charset=utf-8')
  subscribe(
    @Query('hub.mode') mode: string | undefined,
    @Query('hub.verify_token') token: string | undefined,
    @Query('hub.challenge') challenge: string | undefined,
  ): string {
    if (mode !== 'subscribe' || !token || !challenge || !safeEqual(token, this.cloud.verifyToken)) {
      throw new ParleyError(ErrorCode.SignatureInvalid, 'The verify token does not match.');
    }
    return challenge;
  }

  @Post('webhook')
  @HttpCode(200)
  async receive(
    @Body() raw: unknown,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<void> {
    // main.ts keeps the body as received: the signature covers those bytes, nothing else.
    const body = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
    if (!hubSignatureValid(this.cloud.appSecret, signature, body)) {
      throw new ParleyError(ErrorCode.SignatureInvalid, 'The X-Hub-Signature-256 does not match.');
    }
    const parsed = CloudWebhookSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      throw new ParleyError(ErrorCode.InvalidRequest, 'Not a WhatsApp Business Account webhook.');
    }
    const { messages, statuses } = eventsOf(parsed.data, this.cloud.phoneNumberId);
    // Meta redelivers for up to 7 days; an older signed event is a replay, not a delivery.
    const oldest = Date.now() - this.config.WHATSAPP_WEBHOOK_MAX_AGE_HOURS * 3_600_000;
    if ([...messages, ...statuses].some((event) => event.at.getTime() < oldest)) {
      throw new ParleyError(
        ErrorCode.SignatureInvalid,
        'The webhook is older than Meta redelivers.',
      );
    }
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    for (const message of messages) {
      // The 24-hour window runs from the customer's own message; recorded before the turn starts.
      await this.deliveries.seen(assistantId, 'whatsapp', message.from, message.at);
      if (message.text === null) {
        this.logger.debug({ providerMessageId: message.id }, 'message without text ignored');
        continue;
      }
      const accepted = await this.intake.accept({
        channel: 'whatsapp',
        assistantId,
        externalUserId: message.from,
        text: message.text,
        providerMessageId: message.id,
        verified: true,
      });
      // A duplicate was answered (or is being answered) already: no second indicator.
      if (accepted.kind === 'accepted') this.typing.show(message);
    }
    for (const status of statuses) {
      await this.deliveries.report(
        assistantId,
        { channel: 'whatsapp', providerMessageId: status.id },
        status.status,
        status.error,
      );
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(strictUtf8.decode(body)) as unknown;
  } catch {
    throw new ParleyError(ErrorCode.InvalidJson, 'The request body is not valid JSON.');
  }
}
