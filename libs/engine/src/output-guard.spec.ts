import { CHANNEL_CAPABILITIES } from '@parley/contracts';

import { fitReplies, namePlaceholders, splitText, StreamingGuard } from './output-guard';

describe(fitReplies.name, () => {
  it('turns quick replies into numbered options on a channel without buttons', () => {
    const [reply] = fitReplies(
      [{ text: 'Shall I go ahead?', quickReplies: ['Yes', 'No'] }],
      CHANNEL_CAPABILITIES.sms,
    );
    expect(reply).toEqual({ text: 'Shall I go ahead?\n\n1. Yes\n2. No' });
  });

  it('never lets a card number or SSN out, whoever wrote the reply; contact details stay', () => {
    const [reply] = fitReplies(
      [{ text: 'Your card 4111 1111 1111 1111 and SSN 078-05-1123. Write to help@shop.example.' }],
      CHANNEL_CAPABILITIES.web,
    );
    expect(reply!.text).toBe(
      'Your card •••• 1111 and SSN •••-••-••••. Write to help@shop.example.',
    );
  });

  it('keeps at most as many buttons as the channel allows', () => {
    const choices = 'abcdefghijkl'.split('');
    const [reply] = fitReplies(
      [{ text: 'Pick one', quickReplies: choices }],
      CHANNEL_CAPABILITIES.whatsapp,
    );
    expect(reply!.quickReplies).toEqual(choices.slice(0, 10));
  });

  it('writes Markdown as plain text where the channel has no formatting', () => {
    const [reply] = fitReplies(
      [{ text: '**Order** shipped. [Track it](https://example.com/t)' }],
      CHANNEL_CAPABILITIES.sms,
    );
    expect(reply!.text).toBe('Order shipped. Track it (https://example.com/t)');
  });

  it('splits a reply longer than the channel allows at sentence boundaries', () => {
    const sentence = 'This sentence is about forty characters. ';
    const long = sentence.repeat(60).trim();
    const parts = fitReplies([{ text: long, quickReplies: ['ok'] }], CHANNEL_CAPABILITIES.sms);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.text.length <= 1_600)).toBe(true);
    expect(parts.slice(0, -1).every((p) => p.text.endsWith('.'))).toBe(true);
    expect(parts.map((p) => p.text).join(' ')).toBe(`${long}\n\n1. ok`);
  });
});

describe(splitText.name, () => {
  it('leaves short text alone', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
  });
});

describe(StreamingGuard.name, () => {
  /** Feeds `text` in `size`-character fragments, as a model's stream would; returns what was shown. */
  function stream(text: string, size: number): string[] {
    const shown: string[] = [];
    const guard = new StreamingGuard('en', (fragment) => shown.push(fragment));
    for (let i = 0; i < text.length; i += size) guard.push(text.slice(i, i + size));
    guard.end();
    return shown;
  }
  const finished = (text: string) =>
    fitReplies([{ text: namePlaceholders(text, 'en') }], CHANNEL_CAPABILITIES.web)[0]!.text;

  it('shows the draft in pieces that add up to the finished reply', () => {
    const text = 'Your order ORD-10482 left our warehouse on 3 March and arrives in 2 days.';
    const shown = stream(text, 3);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.join('')).toBe(finished(text));
  });

  it('never shows a card number or SSN, however the model splits it', () => {
    const text = 'I see card 4111 1111 1111 1111 and SSN 078-05-1123 on file, sorry.';
    for (const size of [1, 2, 4, 7]) {
      const shown = stream(text, size);
      expect(shown.join('')).toBe(finished(text));
      for (const fragment of shown) expect(fragment).not.toMatch(/4111|1111 1111|078-05|05-1123/);
    }
  });

  it('names a placeholder instead of showing it, even when it arrives in pieces', () => {
    const text = 'We will write to [EMAIL_1] within a day.';
    const shown = stream(text, 2);
    expect(shown.join('')).toBe('We will write to the email address you gave within a day.');
    expect(shown.join('')).not.toContain('[');
  });
});
