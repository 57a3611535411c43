import type { Entity } from '@parley/assistant';

import { extractEntity, isoInZone } from './entities';

const context = {
  messageId: '00000000-0000-4000-8000-000000000001',
  timeZone: 'America/Los_Angeles',
  // Friday 20 November 2026, 10:00 in Los Angeles.
  now: new Date('2026-11-20T18:00:00Z'),
  asked: false,
};

const orderId: Entity = {
  type: 'pattern',
  pattern: 'ORD-?\\d{5}',
  case_sensitive: false,
  normalize: 'upper',
  examples: ['ORD-10482'],
};
const plan: Entity = {
  type: 'list',
  values: {
    basic: ['free plan'],
    plus: ['plus plan'],
    pro: ['pro plan', 'trailblazer pro', 'premium'],
  },
};

describe(extractEntity.name, () => {
  it('normalises pattern values to the declared shape', () => {
    expect(extractEntity(orderId, 'where is ord55120?', context)?.value).toBe('ORD-55120');
    expect(extractEntity(orderId, 'order XORD-55120X', context)).toBeNull();
  });

  it('maps list synonyms to the canonical value, preferring the longest phrase', () => {
    expect(extractEntity(plan, 'move me to Trailblazer Pro please', context)?.value).toBe('pro');
    expect(extractEntity(plan, 'the free plan is enough', context)?.value).toBe('basic');
    expect(extractEntity(plan, 'I want a proper answer', context)).toBeNull();
  });

  it('reads amounts in the forms customers write them', () => {
    const amount: Entity = { type: 'amount' };
    expect(extractEntity(amount, 'I was charged $1,250.50 twice', context)?.value).toBe(1250.5);
    expect(extractEntity(amount, 'refund 45 bucks for ORD-10482', context)?.value).toBe(45);
    expect(extractEntity(amount, 'about fifty dollars', context)?.value).toBe(50);
    expect(extractEntity(amount, 'ORD-10482 please', context)).toBeNull();
  });

  it('reads a date and time in the business time zone', () => {
    const when: Entity = { type: 'datetime' };
    const found = extractEntity(when, 'call me on Monday at 10am', context);
    expect(found?.value).toBe('2026-11-23T10:00:00-08:00');
    expect(found?.display).toMatch(/Monday, November 23 at 10:00/);
    // A day alone is not a time to call.
    expect(extractEntity(when, 'sometime on Monday', context)).toBeNull();
  });

  it('refers to PII by vault reference, never by value', () => {
    const email: Entity = { type: 'email' };
    expect(extractEntity(email, 'it is [EMAIL_1]', context)).toEqual({
      value: `vault://${context.messageId}/[EMAIL_1]`,
      display: '[EMAIL_1]',
    });
  });

  it('takes free text only as the answer to its own question', () => {
    const details: Entity = { type: 'text' };
    expect(extractEntity(details, 'charged twice', context)).toBeNull();
    expect(extractEntity(details, 'charged twice', { ...context, asked: true })?.value).toBe(
      'charged twice',
    );
  });
});

describe(isoInZone.name, () => {
  it('writes the local time with its offset, across daylight saving', () => {
    expect(isoInZone(new Date('2026-07-01T17:00:00Z'), 'America/Los_Angeles')).toBe(
      '2026-07-01T10:00:00-07:00',
    );
    expect(isoInZone(new Date('2026-12-01T18:00:00Z'), 'America/Los_Angeles')).toBe(
      '2026-12-01T10:00:00-08:00',
    );
  });
});
