import { CHANNEL_CAPABILITIES } from '@parley/contracts';

import { fitReplies, splitText } from './output-guard';

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
    const [reply] = fitReplies(
      [{ text: 'Pick one', quickReplies: ['a', 'b', 'c', 'd', 'e'] }],
      CHANNEL_CAPABILITIES.whatsapp,
    );
    expect(reply!.quickReplies).toEqual(['a', 'b', 'c']);
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
