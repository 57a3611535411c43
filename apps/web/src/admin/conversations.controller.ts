import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { z } from 'zod';

import type { TranscriptRepository } from '@parley/db';
import { CONFIG, ErrorCode, ParleyError } from '@parley/platform';

import type { WebConfig } from '../config';
import { TRANSCRIPTS } from '../tokens';
import { requireAdmin } from './admin-token';

/** Conversations with what the engine made of them, for support staff and `parley eval`. */
@Controller('api/v1/admin/conversations')
export class ConversationsAdminController {
  constructor(
    @Inject(TRANSCRIPTS) private readonly transcripts: TranscriptRepository,
    @Inject(CONFIG) private readonly config: WebConfig,
  ) {}

  @Get(':id')
  async inspect(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    requireAdmin(this.config.PARLEY_ADMIN_TOKEN, authorization);
    const found = z.uuid().safeParse(id).success
      ? await this.transcripts.inspect(this.config.PARLEY_ASSISTANT_ID, id)
      : null;
    if (!found) throw new ParleyError(ErrorCode.ConversationNotFound, 'No such conversation.');
    return found;
  }
}
