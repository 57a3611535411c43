import { Controller, Get, Header } from '@nestjs/common';

import { DEMO_CSS, DEMO_HTML, DEMO_JS } from './demo-page';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

@Controller()
export class DemoController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  page() {
    return DEMO_HTML;
  }

  @Get('demo.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script() {
    return DEMO_JS;
  }

  @Get('demo.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style() {
    return DEMO_CSS;
  }
}
