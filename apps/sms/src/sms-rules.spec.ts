import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';

import { keywordOf } from './keywords';
import { countSegments, splitForSms, SMS_MAX_CHARS } from './segments';
import { parseForm, twilioSignatureValid, type FormParams } from './twilio-signature';

describe(countSegments.name, () => {
  it('bills GSM-7 text in one segment of 160, then segments of 153', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(countSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(countSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3 });
    // The extension table (€, brackets) costs two septets a character.
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2 });
  });

  it('bills text with an emoji or a character outside GSM-7 as UCS-2: 70, then 67', () => {
    expect(countSegments(`${'a'.repeat(69)}ł`)).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSegments(`${'a'.repeat(70)}ł`)).toEqual({ encoding: 'UCS-2', segments: 2 });
    // An emoji is two UTF-16 units.
    expect(countSegments(`${'a'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(countSegments(`${'a'.repeat(69)}😀`)).toEqual({ encoding: 'UCS-2', segments: 2 });
  });
});

describe(splitForSms.name, () => {
  it('keeps a reply within 1,600 characters whole', () => {
    expect(splitForSms('word '.repeat(300).trim())).toHaveLength(1);
  });

  it('cuts a longer reply at word boundaries where segments end, never over the cap', () => {
    const text = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const parts = splitForSms(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1_530);
      expect(countSegments(part).segments).toBeLessThanOrEqual(10);
    }
    expect(parts.join(' ')).toBe(text);
    const emoji = `${'Grüße 😀 '.repeat(250)}`.trim();
    for (const part of splitForSms(emoji)) {
      expect(part.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(countSegments(part).segments).toBeLessThanOrEqual(23);
    }
  });
});

describe(keywordOf.name, () => {
  it('reads the carrier keywords as the whole message, whatever the case', () => {
    for (const word of ['STOP', 'stop', ' StopAll ', 'UNSUBSCRIBE', 'end', 'quit', 'CANCEL']) {
      expect(keywordOf(word)).toBe('stop');
    }
    expect(keywordOf('start')).toBe('start');
    expect(keywordOf('HELP')).toBe('help');
    expect(keywordOf('please stop the order')).toBeNull();
    expect(keywordOf('yes')).toBeNull();
  });
});

interface TwilioCase {
  name: string;
  url: string;
  params: Record<string, string | string[]>;
  expected_signature: string;
  expect_valid: boolean;
}

describe(twilioSignatureValid.name, () => {
  const { twilio } = JSON.parse(
    readFileSync(path.join(PATHS.datasets, 'webhooks/signatures.json'), 'utf8'),
  ) as { twilio: { auth_token: string; cases: TwilioCase[] } };

  it.each(twilio.cases.map((c) => [c.name, c] as const))(
    "agrees with Twilio's vector %s",
    (_name, vector) => {
      // The URL Twilio called = the configured public origin + the path this service received.
      const url = new URL(vector.url);
      const origin = vector.url.slice(0, vector.url.indexOf(url.pathname));
      expect(
        twilioSignatureValid(
          twilio.auth_token,
          vector.expected_signature,
          origin,
          vector.url.slice(origin.length),
          vector.params,
        ),
      ).toBe(vector.expect_valid);
    },
  );

  it('refuses a missing signature and one over other parameters', () => {
    const [first] = twilio.cases;
    expect(
      twilioSignatureValid(twilio.auth_token, undefined, 'https://mycompany.com', '/myapp.php', {}),
    ).toBe(false);
    const tampered: FormParams = { ...first!.params, Body: 'refund me 1000' };
    const url = new URL(first!.url);
    expect(
      twilioSignatureValid(
        twilio.auth_token,
        first!.expected_signature,
        url.origin,
        `${url.pathname}${url.search}`,
        tampered,
      ),
    ).toBe(false);
  });

  it('parses a repeated form field into all its values, as they were signed', () => {
    expect(parseForm('Digits=5678&Digits=1234&Sid=CA123')).toEqual({
      Digits: ['5678', '1234'],
      Sid: 'CA123',
    });
  });
});
