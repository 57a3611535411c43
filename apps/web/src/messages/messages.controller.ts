import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { PostMessageBodySchema, type TranscriptResponse } from '@parley/contracts';
import { ErrorCode, ParleyError } from '@parley/platform';

import { MessagesService } from './messages.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('api/v1')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('messages')
  @HttpCode(200)
  async post(
    @Body() body: unknown,
    @Query('wait') wait: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseBody(body);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ParleyError(
        ErrorCode.IdempotencyKeyInvalid,
        'Idempotency-Key must be 1 to 200 printable ASCII characters without spaces.',
      );
    }
    const outcome = await this.messages.post(input, {
      wait: parseWait(wait),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (outcome.kind === 'accepted') void reply.status(202);
    return outcome.body;
  }

  /** The conversation so far; a visitor's or verified customer's needs their credential. */
  @Get('conversations/:id/messages')
  @Header('cache-control', 'no-store')
  async transcript(
    @Param('id') id: string,
    @Query('userHash') userHash: unknown,
    @Query('visitorToken') visitorToken: unknown,
  ): Promise<TranscriptResponse> {
    if (!z.uuid().safeParse(id).success) {
      throw new ParleyError(ErrorCode.ConversationNotFound, 'No such conversation.');
    }
    return this.messages.transcript(id, {
      userHash: single('userHash', userHash),
      visitorToken: single('visitorToken', visitorToken),
    });
  }
}

function parseBody(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ParleyError(
      ErrorCode.InvalidRequest,
      'Send a JSON object: { "userId": string, "text": string, "conversationId"?: string, "userHash"?: string, "visitorToken"?: string }.',
    );
  }
  const parsed = PostMessageBodySchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.') || 'body';
      return `${field}: ${issue.message}`;
    });
    throw new ParleyError(ErrorCode.InvalidRequest, problems.join('; '));
  }
  return parsed.data;
}

function parseWait(value: string | undefined): boolean {
  if (value === undefined || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ParleyError(ErrorCode.InvalidRequest, 'wait must be true or false.');
}

/** A query parameter given at most once (a repeated one arrives as an array). */
function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new ParleyError(ErrorCode.InvalidRequest, `${name}: give it once.`);
}
