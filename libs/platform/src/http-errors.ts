import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';

import { ErrorCode, ParleyError, toErrorResponse } from './errors';
import type { Logger } from './logger';

/** Nest side: errors thrown by controllers and guards. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) this.logger.error({ err: error }, 'request failed');
    // JSON whatever the route meant to answer with (a webhook's TwiML, say).
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies are decoded strictly: invalid UTF-8 is a 400, not silently replaced by U+FFFD.
 * Parse and limit errors raised here reach HttpErrorFilter through Nest's Fastify error handler.
 */
export function installJsonParser(fastify: FastifyInstance): void {
  // Only JSON is accepted; any other content type is a 415 from Fastify.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_request, body: Buffer, done) => {
      let text: string;
      try {
        text = strictUtf8.decode(body);
      } catch {
        done(
          new ParleyError(ErrorCode.InvalidUtf8, 'The request body is not valid UTF-8.'),
          undefined,
        );
        return;
      }
      if (text.trim() === '') {
        done(new ParleyError(ErrorCode.InvalidJson, 'The request body is empty.'), undefined);
        return;
      }
      try {
        done(null, JSON.parse(text));
      } catch {
        done(
          new ParleyError(ErrorCode.InvalidJson, 'The request body is not valid JSON.'),
          undefined,
        );
      }
    },
  );
}
