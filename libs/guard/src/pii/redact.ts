import { detectPii, type DetectOptions } from './detect';
import { PiiType, type PiiSpan } from './recognizers';

/** '•' rather than '*': markdown channels would read asterisks as emphasis. */
const DOT = '•';

const lastDigits = (value: string, n: number) => value.replace(/\D/g, '').slice(-n);

/** What a customer may see of a value they did not give: enough to recognise it, no more. */
export function partialMask(span: Pick<PiiSpan, 'type' | 'value'>): string {
  switch (span.type) {
    case PiiType.Email: {
      const at = span.value.lastIndexOf('@');
      return `${span.value.slice(0, 1)}${DOT.repeat(3)}${span.value.slice(at)}`;
    }
    case PiiType.Phone:
    case PiiType.CreditCard:
      return `${DOT.repeat(4)} ${lastDigits(span.value, 4)}`;
    case PiiType.Iban:
      return `${span.value.slice(0, 2).toUpperCase()}${DOT.repeat(2)} ${DOT.repeat(4)} ${span.value.replace(/\s/g, '').slice(-4)}`;
    case PiiType.UsSsn:
      return `${DOT.repeat(3)}-${DOT.repeat(2)}-${DOT.repeat(4)}`;
    case PiiType.IpAddress:
      return DOT.repeat(3);
  }
}

/**
 * Personal data from elsewhere than the customer (a tool's response, say) in the form a reply may
 * show: `j•••@example.com`, `•••• 0958`. Text without any comes back unchanged.
 */
export function redactPii(text: string, options: DetectOptions = {}): string {
  const spans = detectPii(text, options);
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += text.slice(cursor, span.start) + partialMask(span);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/** `redactPii` over every string in a JSON-like value (a tool's fields), keys left alone. */
export function redactPiiDeep<T>(value: T, options: DetectOptions = {}): T {
  if (typeof value === 'string') return redactPii(value, options) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactPiiDeep(v, options)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactPiiDeep(v, options)]),
    ) as T;
  }
  return value;
}
