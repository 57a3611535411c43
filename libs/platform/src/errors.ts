import { HttpStatus } from '@nestjs/common';

/** Every error code a client can receive, with its HTTP status. */
export enum ErrorCode {
  InvalidRequest = 'invalid_request',
  InvalidJson = 'invalid_json',
  InvalidUtf8 = 'invalid_utf8',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  NotFound = 'not_found',
  ConversationNotFound = 'conversation_not_found',
  ConversationClosed = 'conversation_closed',
  IdempotencyKeyInvalid = 'idempotency_key_invalid',
  Unavailable = 'service_unavailable',
  Internal = 'internal_error',
}

export const ERROR_STATUS: Readonly<Record<ErrorCode, HttpStatus>> = {
  [ErrorCode.InvalidRequest]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidJson]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidUtf8]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.ConversationNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.ConversationClosed]: HttpStatus.CONFLICT,
  [ErrorCode.IdempotencyKeyInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The one exception type Parley code throws towards clients. */
export class ParleyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParleyError';
  }

  get status(): HttpStatus {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Maps anything thrown to a status and `{ error: { code, message } }`; never a stack. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ParleyError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  const fastify = fastifyError(error);
  if (fastify) return fastify;
  const status = (error as { status?: unknown; getStatus?: () => number }).getStatus?.();
  if (status === HttpStatus.NOT_FOUND) {
    return respond(ErrorCode.NotFound, 'No such endpoint.');
  }
  return respond(ErrorCode.Internal, 'Something went wrong on our side. Please try again.');
}

function respond(code: ErrorCode, message: string) {
  return { status: ERROR_STATUS[code], body: { error: { code, message } } };
}

/** Errors Fastify raises before a handler runs (body parsing, limits, content type). */
function fastifyError(error: unknown) {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return respond(ErrorCode.PayloadTooLarge, 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return respond(
        ErrorCode.UnsupportedMediaType,
        'Send JSON with Content-Type: application/json.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return respond(ErrorCode.InvalidJson, 'The request body is not valid JSON.');
    default:
      if (error instanceof SyntaxError) {
        return respond(ErrorCode.InvalidJson, 'The request body is not valid JSON.');
      }
      return null;
  }
}
