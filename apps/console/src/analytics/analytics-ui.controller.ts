import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Controller, Get, Header } from '@nestjs/common';

import { ANALYTICS_CSS, ANALYTICS_HTML } from '../ui/analytics-page';
import { ANALYTICS_JS } from '../ui/analytics-script';

/** Same policy as the console page: this origin only, no inline code, no framing. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let chartJs: string | null = null;
/** Chart.js's browser build from node_modules (the package exports only its module entries). */
function chartBundle(): string {
  chartJs ??= readFileSync(
    path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
    'utf8',
  ).replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
  return chartJs;
}

/** The analytics dashboard page and its assets; its data comes from AnalyticsController. */
@Controller('console')
export class AnalyticsUiController {
  @Get('analytics')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CSP)
  @Header('cache-control', 'no-store')
  page() {
    return ANALYTICS_HTML;
  }

  @Get('analytics.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script() {
    return ANALYTICS_JS;
  }

  @Get('analytics.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style() {
    return ANALYTICS_CSS;
  }

  @Get('assets/chart.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  chart() {
    return chartBundle();
  }
}
