import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';

import { hubSignature, hubSignatureValid } from './cloud/hub-signature';
import { CloudWebhookSchema, eventsOf } from './cloud/webhook-payload';
import { qrModules, qrSvg, qrText } from './webjs/qr-svg';
import { choiceText, interactiveFor, toWhatsAppText } from './render/whatsapp-format';

const webhooks = path.join(PATHS.datasets, 'webhooks');
const readJson = <T>(file: string): T =>
  JSON.parse(readFileSync(path.join(webhooks, file), 'utf8')) as T;

interface MetaVector {
  name: string;
  app_secret?: string;
  secret?: string;
  raw_body: string;
  escaped_body_signed?: string;
  expected_signature: string;
  signature_over_raw_utf8_for_contrast?: string;
}

describe(hubSignatureValid.name, () => {
  const vectors = readJson<{ meta_x_hub_signature_256: MetaVector[] }>(
    'signatures.json',
  ).meta_x_hub_signature_256;

  it.each(vectors.map((v) => [v.name, v] as const))('agrees with vector %s', (_name, v) => {
    const secret = (v.app_secret ?? v.secret)!;
    // The bytes on the wire: Meta's body has its non-ASCII characters escaped as \uXXXX.
    const wire = Buffer.from(v.escaped_body_signed ?? v.raw_body, 'utf8');
    expect(hubSignatureValid(secret, v.expected_signature, wire)).toBe(true);
    expect(hubSignature(secret, wire)).toBe(v.expected_signature);
  });

  it('refuses the escaped vector checked over a re-serialised UTF-8 body', () => {
    const v = vectors.find((c) => c.escaped_body_signed)!;
    const reserialised = Buffer.from(v.raw_body, 'utf8');
    expect(hubSignatureValid(v.app_secret!, v.expected_signature, reserialised)).toBe(false);
    expect(hubSignature(v.app_secret!, reserialised)).toBe(v.signature_over_raw_utf8_for_contrast);
  });

  it('refuses the signed-unicode payload sample when its body is read as raw UTF-8', () => {
    const sample = readJson<{
      _provenance: { app_secret: string };
      headers: Record<string, string>;
      raw_body: string;
    }>('payloads/whatsapp_signed_unicode_body.json');
    const header = sample.headers['X-Hub-Signature-256'];
    const secret = sample._provenance.app_secret;
    expect(hubSignatureValid(secret, header, Buffer.from(sample.raw_body))).toBe(false);
    const escaped = sample.raw_body.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(hubSignatureValid(secret, header, Buffer.from(escaped))).toBe(true);
  });

  it('refuses missing, malformed, other-algorithm and wrong-secret signatures', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const good = hubSignature('app-secret', body);
    expect(hubSignatureValid('app-secret', good, body)).toBe(true);
    expect(
      hubSignatureValid('app-secret', good.toUpperCase().replace('SHA256=', 'sha256='), body),
    ).toBe(true);
    expect(hubSignatureValid('app-secret', undefined, body)).toBe(false);
    expect(hubSignatureValid('app-secret', '', body)).toBe(false);
    expect(hubSignatureValid('app-secret', good.slice('sha256='.length), body)).toBe(false);
    expect(hubSignatureValid('app-secret', good.replace('sha256=', 'sha1='), body)).toBe(false);
    expect(hubSignatureValid('app-secret', good.slice(0, -2), body)).toBe(false);
    expect(hubSignatureValid('other-secret', good, body)).toBe(false);
  });
});

describe(eventsOf.name, () => {
  const sample = readJson<Record<string, unknown>>('payloads/whatsapp_cloud_messages_text.json');
  delete sample._provenance;

  it("reads Meta's sample text message: sender wa_id, wamid, time and text", () => {
    const { messages, statuses } = eventsOf(CloudWebhookSchema.parse(sample), '106540352242922');
    expect(statuses).toEqual([]);
    expect(messages).toEqual([
      {
        from: '16505551234',
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        at: new Date(1749416383 * 1000),
        text: 'Does it come in another color?',
      },
    ]);
  });

  it("ignores events for the account's other business numbers", () => {
    expect(eventsOf(CloudWebhookSchema.parse(sample), '999').messages).toEqual([]);
  });
});

describe(toWhatsAppText.name, () => {
  it("writes the engine's markdown in WhatsApp markup", () => {
    expect(toWhatsAppText('This is **bold**, *italic*, _also italic_ and ~~gone~~.')).toBe(
      'This is *bold*, _italic_, _also italic_ and ~gone~.',
    );
    expect(toWhatsAppText('## Returns\n* one\n+ two\n- three')).toBe(
      '*Returns*\n- one\n- two\n- three',
    );
    expect(toWhatsAppText('See [our policy](https://shop.example/returns).')).toBe(
      'See our policy (https://shop.example/returns).',
    );
    expect(toWhatsAppText('Run `a **b** c` now')).toBe('Run `a **b** c` now');
    expect(toWhatsAppText('2 * 3 * 4 = 24')).toBe('2 * 3 * 4 = 24');
  });
});

describe(interactiveFor.name, () => {
  it('makes up to three short quick replies reply buttons', () => {
    const payload = interactiveFor('Anything else?', ['Yes', 'No']);
    expect(payload).toEqual({
      type: 'button',
      body: { text: 'Anything else?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'qr:Yes', title: 'Yes' } },
          { type: 'reply', reply: { id: 'qr:No', title: 'No' } },
        ],
      },
    });
  });

  it('makes more, or longer, quick replies a list whose ids keep the whole text', () => {
    const long = 'Track the order I placed yesterday evening';
    const payload = interactiveFor('Pick one', ['A', 'B', 'C', long]);
    expect(payload.type).toBe('list');
    if (payload.type !== 'list') return;
    const rows = payload.action.sections[0]!.rows;
    expect(rows).toHaveLength(4);
    expect([...rows[3]!.title].length).toBeLessThanOrEqual(24);
    expect(rows[3]!.description).toBe(long);
    expect(choiceText({ id: rows[3]!.id, title: rows[3]!.title })).toBe(long);
    expect(
      interactiveFor(
        'Pick',
        Array.from({ length: 14 }, (_, i) => `n${i}`),
      ).type,
    ).toBe('list');
  });
});

describe(qrModules.name, () => {
  it('draws a QR code whose size grows with the text, finder patterns in three corners', () => {
    const small = qrModules('HELLO');
    expect(small).toHaveLength(21);
    // A WhatsApp Web linking code is about 240 characters: version 10 (57 modules).
    expect(qrModules(`2@${'aB3xYz9+/='.repeat(24)},Zm9vYmFy,cXV4`)).toHaveLength(57);
    const finderRow = [true, true, true, true, true, true, true, false];
    expect(small[0]!.slice(0, 8)).toEqual(finderRow);
    expect(small[0]!.slice(13)).toEqual([...finderRow].reverse());
    expect(small[20]!.slice(0, 8)).toEqual(finderRow);
    expect(qrSvg('HELLO')).toMatch(/^<svg [^>]*viewBox="0 0 29 29"/);
    expect(qrText('HELLO').split('\n')).toHaveLength(13);
  });
});
