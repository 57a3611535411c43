import { Controller, Get, Header } from '@nestjs/common';

import { EXPERIMENTS_HTML, EXPERIMENTS_JS } from '../ui/experiments-script';

/** Same policy as the console page: this origin only, no inline code, no framing. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The experiments page and its script; its data comes from ExperimentsController. */
@Controller('console')
export class ExperimentsUiController {
  @Get('experiments')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  @Header('cache-control', 'no-store')
  page() {
    return EXPERIMENTS_HTML;
  }

  @Get('experiments.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script() {
    return EXPERIMENTS_JS;
  }
}
