import { Controller, Header, HttpCode, Post } from '@nestjs/common';

import type { VisitorIdentity } from '@parley/contracts';

import { WebIdentity } from './web-identity';

@Controller('api/v1/visitors')
export class VisitorsController {
  constructor(private readonly identity: WebIdentity) {}

  /**
   * A new anonymous identity for a widget: `{ userId, visitorToken }`. Stateless (an HMAC of the
   * id), so nothing is stored until the visitor writes; 403 visitor_tokens_off without a key.
   */
  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  issue(): VisitorIdentity {
    return this.identity.issueVisitor();
  }
}
