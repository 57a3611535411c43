import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { ErrorCode, ParleyError } from '@parley/platform';

import { csrfMatches, Sessions, type ActiveSession } from './sessions';

const ADMIN_ONLY = 'console:admin-only';
/** Only admins may call the handler (after the session and CSRF checks). */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export type ConsoleRequest = FastifyRequest & { session?: ActiveSession };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every console API call: a live session (401), the CSRF header on anything that changes state
 * (403), and the admin role where a handler asks for it (403). In that order, so an anonymous
 * caller learns nothing about CSRF or roles.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: Sessions,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const session = await this.sessions.resolve(request.headers.cookie);
    if (!session) throw new ParleyError(ErrorCode.Unauthorized, 'Sign in to the console first.');
    if (
      !SAFE_METHODS.has(request.method) &&
      !csrfMatches(request.headers['x-csrf-token'], session.csrfToken)
    ) {
      throw new ParleyError(
        ErrorCode.CsrfTokenInvalid,
        'Send the X-CSRF-Token header you got at sign-in.',
      );
    }
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (adminOnly && session.agent.role !== 'admin') {
      throw new ParleyError(ErrorCode.Forbidden, 'Only admins may do this.');
    }
    request.session = session;
    return true;
  }
}

/** The session SessionGuard attached (handlers behind the guard only). */
export function sessionOf(request: ConsoleRequest): ActiveSession {
  if (!request.session)
    throw new ParleyError(ErrorCode.Unauthorized, 'Sign in to the console first.');
  return request.session;
}
