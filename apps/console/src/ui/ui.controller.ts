import { Controller, Get, Header, Redirect } from '@nestjs/common';

import { CONSOLE_JS } from './console-script';
import { CONSOLE_CSS, CONSOLE_HTML } from './page';

/** Scripts and styles from this origin only; no inline code, no framing. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

@Controller()
export class UiController {
  @Get()
  @Redirect('/console', 302)
  root() {
    return undefined;
  }

  @Get('console')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  @Header('cache-control', 'no-store')
  page() {
    return CONSOLE_HTML;
  }

  @Get('console/console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script() {
    return CONSOLE_JS;
  }

  @Get('console/console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style() {
    return CONSOLE_CSS;
  }
}
