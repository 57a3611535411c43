import type { IncomingHttpHeaders } from 'node:http';

import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

import { CONFIG, ErrorCode, ParleyError, toErrorResponse } from '@parley/platform';

import type { WebConfig } from '../config';

/** The API a customer's browser uses (messages, transcripts, visitors); not the admin API. */
const CUSTOMER_API = /^\/api\/v1\/(?!admin(?:\/|$))/;

/**
 * Which web pages may use the customer API and stream: the web app's own, PUBLIC_URL's, and the
 * sites in WEB_WIDGET_ORIGINS. Requests without an Origin header (servers, the CLI) are not
 * browsers' and pass; their credentials are checked like anyone's.
 */
@Injectable()
export class OriginPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: Set<string>;

  constructor(@Inject(CONFIG) config: WebConfig) {
    this.anyOrigin = config.WEB_WIDGET_ORIGINS.includes('*');
    this.origins = new Set(config.WEB_WIDGET_ORIGINS);
    if (config.PUBLIC_URL) this.origins.add(new URL(config.PUBLIC_URL).origin);
  }

  /**
   * Whether a page at `origin` may call this server, reached at the request's Host (or, behind a
   * proxy, X-Forwarded-Host: browsers cannot set it on a preflight or a WebSocket upgrade).
   */
  allows(origin: string | undefined, headers: IncomingHttpHeaders): boolean {
    if (origin === undefined || this.anyOrigin || this.origins.has(origin)) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      // "null" (sandboxed frames, file: pages) and garbage.
      return false;
    }
    const forwarded = headers['x-forwarded-host'];
    const forwardedHosts = (Array.isArray(forwarded) ? forwarded : [forwarded ?? ''])
      .flatMap((value) => value.split(','))
      .map((value) => value.trim());
    return host === headers.host || forwardedHosts.includes(host);
  }

  /**
   * CORS for the customer API: an allowed page gets its origin echoed (no cookies are involved:
   * credentials travel in the request), and preflights are answered here. A page from any other
   * origin is refused with 403 before the request does anything.
   */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin === undefined || !CUSTOMER_API.test(request.url)) return;
      if (!this.allows(origin, request.headers)) {
        const { status, body } = toErrorResponse(
          new ParleyError(
            ErrorCode.OriginNotAllowed,
            `Pages from ${origin} may not use this API: add the origin to WEB_WIDGET_ORIGINS.`,
          ),
        );
        return reply.code(status).send(body);
      }
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        return reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST')
          .header('access-control-allow-headers', 'content-type, idempotency-key')
          .header('access-control-max-age', '600')
          .send();
      }
    });
  }
}
