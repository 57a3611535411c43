import { Controller, Get, Header } from '@nestjs/common';

import { WIDGET_JS } from './widget-script';
import { WIDGET_CSS } from './widget-style';

/**
 * The widget's files. Any site may load them (they are public and hold no data); what a page may
 * then do with the API is the origin policy's and the credentials' business.
 */
@Controller()
export class WidgetController {
  @Get('widget.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  @Header('x-content-type-options', 'nosniff')
  @Header('cross-origin-resource-policy', 'cross-origin')
  @Header('access-control-allow-origin', '*')
  script() {
    return WIDGET_JS;
  }

  /** The same styles as a file, for browsers without constructable stylesheets. */
  @Get('widget.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  @Header('x-content-type-options', 'nosniff')
  @Header('cross-origin-resource-policy', 'cross-origin')
  @Header('access-control-allow-origin', '*')
  style() {
    return WIDGET_CSS;
  }
}
