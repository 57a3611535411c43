export type PayloadEncoding = 'base64' | 'hex' | 'rot13' | 'unicode_tags';

export interface HiddenPayload {
  encoding: PayloadEncoding;
  text: string;
}

/** Unicode "tag" characters mirror ASCII invisibly ("ASCII smuggling"); no customer sends them. */
const TAG_RUN = /[\u{E0020}-\u{E007E}]+/gu;
const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX_RUN =
  /(?:\\x[0-9a-f]{2}){8,}|(?:\b[0-9a-f]{2}[\s:,]){11,}[0-9a-f]{2}\b|\b(?:[0-9a-f]{2}){12,}\b/gi;

/** Decoded bytes count as a message if they read as words: printable ASCII with spaces. */
function readable(text: string): boolean {
  if (text.length < 8 || !/\s/u.test(text) || !/[a-z]{3}/iu.test(text)) return false;
  const printable = text.replace(/[^\x20-\x7E\n\t]/gu, '').length;
  return printable / text.length >= 0.95;
}

function rot13(text: string): string {
  return text.replace(/[a-z]/giu, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * Text hidden in the message: runs of Unicode tag characters, base64 or hex that decode to
 * readable text, and the whole message rot13-decoded when it mentions rot13. Ids, hashes and
 * tokens decode to bytes, not words, and are not returned.
 */
export function hiddenPayloads(text: string): HiddenPayload[] {
  const found: HiddenPayload[] = [];
  for (const [run] of text.matchAll(TAG_RUN)) {
    found.push({
      encoding: 'unicode_tags',
      text: [...run].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0) - 0xe0000)).join(''),
    });
  }
  for (const [run] of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(run, 'base64').toString('utf8');
    if (readable(decoded)) found.push({ encoding: 'base64', text: decoded });
  }
  for (const [run] of text.matchAll(HEX_RUN)) {
    const decoded = Buffer.from(run.replace(/\\x|[^0-9a-f]/giu, ''), 'hex').toString('utf8');
    if (readable(decoded)) found.push({ encoding: 'hex', text: decoded });
  }
  if (/\brot-?13\b/iu.test(text)) found.push({ encoding: 'rot13', text: rot13(text) });
  return found;
}
