import type { Policies } from '@parley/assistant';

import { adviceTopic, isOpen, nextOpening } from './policies';

const hours: Policies['business_hours'] = {
  timezone: 'America/Los_Angeles',
  weekly: {
    mon: [{ open: '08:00', close: '18:00' }],
    tue: [{ open: '08:00', close: '18:00' }],
    wed: [{ open: '08:00', close: '18:00' }],
    thu: [{ open: '08:00', close: '18:00' }],
    fri: [{ open: '08:00', close: '18:00' }],
    sat: [{ open: '09:00', close: '13:00' }],
    sun: [],
  },
};

describe(isOpen.name, () => {
  it('follows the opening hours in the business time zone', () => {
    expect(isOpen(hours, new Date('2026-11-20T18:00:00Z'))).toBe(true); // Fri 10:00 PST
    expect(isOpen(hours, new Date('2026-11-21T03:00:00Z'))).toBe(false); // Fri 19:00 PST
    expect(isOpen(hours, new Date('2026-11-22T20:00:00Z'))).toBe(false); // Sunday
  });
});

describe(nextOpening.name, () => {
  it('names when the team is next in', () => {
    expect(nextOpening(hours, new Date('2026-11-21T23:00:00Z'))).toMatch(/^on Monday at 08:00/); // Sat 15:00
    expect(nextOpening(hours, new Date('2026-11-20T14:00:00Z'))).toMatch(/^today at 08:00/); // Fri 06:00
  });
});

describe(adviceTopic.name, () => {
  const all = ['legal', 'medical', 'financial'] as const;
  it('recognises requests for professional advice', () => {
    expect(adviceTopic('Can I sue you for this?', all)).toBe('legal');
    expect(adviceTopic('Should I sue the courier for losing my parcel?', all)).toBe('legal');
    expect(adviceTopic('Can we take them to court over it?', all)).toBe('legal');
    expect(adviceTopic('what medication helps with a rash', all)).toBe('medical');
    expect(adviceTopic('should I invest in bitcoin', all)).toBe('financial');
  });
  it('leaves ordinary shop questions alone', () => {
    expect(adviceTopic('Is this jacket legal to wear in the rain?', ['financial'])).toBeNull();
    expect(adviceTopic('Do you sell a medical kit for hiking?', all)).toBeNull();
    expect(adviceTopic('What is my legal name on the account?', all)).toBeNull();
    expect(adviceTopic('Sue from your team said my refund was sent', all)).toBeNull();
  });
});
