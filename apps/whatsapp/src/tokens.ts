/** The whatsapp-web.js client (webjs mode): the real one, or a test's fake. */
export const WEB_CLIENT = Symbol('WEB_CLIENT');
