import { HttpException, HttpStatus } from '@nestjs/common';

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
  IdentityVerificationOff = 'identity_verification_off',
  IdentityInvalid = 'identity_invalid',
  IdentityRequired = 'identity_required',
  VisitorTokensOff = 'visitor_tokens_off',
  VisitorTokenRequired = 'visitor_token_required',
  VisitorTokenInvalid = 'visitor_token_invalid',
  OriginNotAllowed = 'origin_not_allowed',
  Unauthorized = 'unauthorized',
  SignatureInvalid = 'signature_invalid',
  AdminApiDisabled = 'admin_api_disabled',
  Internal = 'internal_error',
  InvalidCredentials = 'invalid_credentials',
  TooManyAttempts = 'too_many_attempts',
  CsrfTokenInvalid = 'csrf_token_invalid',
  Forbidden = 'forbidden',
  TicketNotFound = 'ticket_not_found',
  TicketClaimed = 'ticket_claimed',
  TicketResolved = 'ticket_resolved',
  TicketNotYours = 'ticket_not_yours',
  AgentNotFound = 'agent_not_found',
  AgentExists = 'agent_exists',
  ExperimentNotFound = 'experiment_not_found',
  ExperimentExists = 'experiment_exists',
  /** Start or stop out of order (draft → running → stopped), or another experiment running. */
  ExperimentConflict = 'experiment_conflict',
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
  [ErrorCode.IdentityVerificationOff]: HttpStatus.BAD_REQUEST,
  [ErrorCode.IdentityInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.IdentityRequired]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.VisitorTokensOff]: HttpStatus.FORBIDDEN,
  [ErrorCode.VisitorTokenRequired]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.VisitorTokenInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.OriginNotAllowed]: HttpStatus.FORBIDDEN,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.SignatureInvalid]: HttpStatus.FORBIDDEN,
  [ErrorCode.AdminApiDisabled]: HttpStatus.FORBIDDEN,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.CsrfTokenInvalid]: HttpStatus.FORBIDDEN,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.TicketNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.TicketClaimed]: HttpStatus.CONFLICT,
  [ErrorCode.TicketResolved]: HttpStatus.CONFLICT,
  [ErrorCode.TicketNotYours]: HttpStatus.CONFLICT,
  [ErrorCode.AgentNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.AgentExists]: HttpStatus.CONFLICT,
  [ErrorCode.ExperimentNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.ExperimentExists]: HttpStatus.CONFLICT,
  [ErrorCode.ExperimentConflict]: HttpStatus.CONFLICT,
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

/** Client errors raised by the framework (routing, body limits, content types), by status. */
const FRAMEWORK_ERRORS: Partial<Record<number, [ErrorCode, string]>> = {
  [HttpStatus.BAD_REQUEST]: [ErrorCode.InvalidRequest, 'The request is malformed.'],
  [HttpStatus.NOT_FOUND]: [ErrorCode.NotFound, 'No such endpoint.'],
  [HttpStatus.PAYLOAD_TOO_LARGE]: [ErrorCode.PayloadTooLarge, 'The request body is too large.'],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: [
    ErrorCode.UnsupportedMediaType,
    'Send JSON with Content-Type: application/json.',
  ],
};

/** Maps anything thrown to a status and `{ error: { code, message } }`; never a stack. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ParleyError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  // Nest's HttpException, which also carries Fastify's own errors (limits, media types).
  const status =
    error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
  const known = FRAMEWORK_ERRORS[status];
  if (known) return { status, body: { error: { code: known[0], message: known[1] } } };
  if (status >= 400 && status < 500) {
    return {
      status,
      body: { error: { code: ErrorCode.InvalidRequest, message: 'The request was refused.' } },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: {
      error: {
        code: ErrorCode.Internal,
        message: 'Something went wrong on our side. Please try again.',
      },
    },
  };
}
