import twilio from 'twilio';

/** Posted form fields; a repeated field keeps all its values (they are all signed). */
export type FormParams = Record<string, string | string[]>;

/** Parses a form body as Twilio posts it. */
export function parseForm(body: string): FormParams {
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

/**
 * Whether `signature` is Twilio's X-Twilio-Signature for this request: computed (by the official
 * SDK) over the URL Twilio called, that is the configured public origin followed by the path and
 * query this service received, and every posted parameter.
 */
export function twilioSignatureValid(
  authToken: string,
  signature: string | undefined,
  publicUrl: string,
  requestPath: string,
  params: FormParams,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(
    authToken,
    signature,
    `${publicUrl.replace(/\/$/, '')}${requestPath}`,
    params,
  );
}
