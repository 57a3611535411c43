import { splitText } from '@parley/guard';

/**
 * GSM 03.38: the characters an SMS carries at 7 bits each. Those in the extension table cost two.
 * Any other character (an emoji, most accents) makes the whole message UCS-2, 16 bits each.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

/** Twilio's cap on one message's body, in characters. */
export const SMS_MAX_CHARS = 1_600;

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Segments the carrier bills: one up to 160 (70), then 153 (67) per segment. */
  segments: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extended.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return { encoding: 'GSM-7', segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  const units = text.length;
  return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/**
 * Splits a reply into messages within Twilio's 1,600 characters, each cut where a segment ends
 * (10 GSM-7 segments of 153, or 23 UCS-2 segments of 67) at a word boundary, so no message pays
 * for a nearly empty last segment.
 */
export function splitForSms(text: string): string[] {
  if (text.length <= SMS_MAX_CHARS) return [text];
  const { encoding } = countSegments(text);
  const perPart = encoding === 'GSM-7' ? 153 * 10 : 67 * 23;
  return splitText(text, perPart);
}
