import { Body, Controller, Delete, Headers, Inject, Put, Query } from '@nestjs/common';
import { z } from 'zod';

import type { KnowledgeRepository } from '@parley/db';
import { ingestDocument } from '@parley/knowledge';
import { CONFIG, ErrorCode, ParleyError } from '@parley/platform';

import type { WebConfig } from '../config';
import { KNOWLEDGE } from '../tokens';
import { requireAdmin } from './admin-token';

const DocumentBody = z.strictObject({
  source: z.string().trim().min(1).max(500),
  format: z.enum(['markdown', 'html', 'text']),
  content: z.string().min(1),
  language: z
    .string()
    .regex(/^[a-z_]+$/, 'a Postgres text search configuration, e.g. english')
    .optional(),
  title: z.string().trim().min(1).max(200).optional(),
});

/**
 * The admin API for the knowledge base: the same ingest as `parley kb ingest`, one document per
 * request. Re-sending a source replaces its chunks; unchanged content is a no-op.
 */
@Controller('api/v1/admin/knowledge')
export class KnowledgeAdminController {
  constructor(
    @Inject(KNOWLEDGE) private readonly knowledge: KnowledgeRepository,
    @Inject(CONFIG) private readonly config: WebConfig,
  ) {}

  @Put('documents')
  async put(@Body() body: unknown, @Headers('authorization') authorization?: string) {
    requireAdmin(this.config.PARLEY_ADMIN_TOKEN, authorization);
    const parsed = DocumentBody.safeParse(body);
    if (!parsed.success) {
      throw new ParleyError(
        ErrorCode.InvalidRequest,
        parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    }
    const { language, title, ...document } = parsed.data;
    if (language && !(await this.knowledge.textSearchConfigExists(language))) {
      throw new ParleyError(
        ErrorCode.InvalidRequest,
        `language: Postgres has no text search configuration "${language}" (try english, german, french, spanish, simple).`,
      );
    }
    const result = await ingestDocument(this.knowledge, {
      assistantId: this.config.PARLEY_ASSISTANT_ID,
      ...document,
      ...(language ? { language } : {}),
      ...(title ? { title } : {}),
    });
    return { source: document.source, ...result };
  }

  @Delete('documents')
  async remove(
    @Query('source') source: string | undefined,
    @Headers('authorization') authorization?: string,
  ) {
    requireAdmin(this.config.PARLEY_ADMIN_TOKEN, authorization);
    if (!source)
      throw new ParleyError(ErrorCode.InvalidRequest, 'source: required query parameter.');
    if (!(await this.knowledge.removeDocument(this.config.PARLEY_ASSISTANT_ID, source))) {
      throw new ParleyError(ErrorCode.NotFound, `No knowledge document with source "${source}".`);
    }
    return { source, removed: true };
  }
}
