import { policiesSchema } from '@parley/assistant';

import { isOpenAt, nextOpeningAfter } from './business-hours';
import { whatHappensNext } from './notice';
import { TicketPriority, priorityFor } from './priority';
import { verifyWebhookSignature, webhookSignature } from './webhook';

const hours = policiesSchema.shape.business_hours.parse({
  timezone: 'America/Los_Angeles',
  weekly: { mon: '08:00-18:00', fri: '08:00-18:00', sat: '09:00-13:00', sun: 'closed' },
});

describe('whatHappensNext', () => {
  it('names the place in the queue and, when closed, when the team is back in their zone', () => {
    // Saturday 2026-11-21 20:00 in Los Angeles (Sunday 04:00 UTC): back Monday at 8:00.
    const at = new Date('2026-11-22T04:00:00Z');
    expect(isOpenAt(hours, at)).toBe(false);
    expect(
      whatHappensNext({ position: 3, nextOpening: nextOpeningAfter(hours, at), language: 'en' }),
    ).toBe("You're number 3 in line. The team is back Monday at 8:00 (America/Los_Angeles).");
  });

  it('says "next" and nothing about hours while the team is in, in German for German speakers', () => {
    const at = new Date('2026-11-23T17:00:00Z'); // Monday 09:00 in Los Angeles
    expect(isOpenAt(hours, at)).toBe(true);
    expect(whatHappensNext({ position: 1, nextOpening: null, language: 'fr' })).toMatch(
      /^You're next in line/,
    );
    expect(whatHappensNext({ position: 2, nextOpening: null, language: 'de' })).toMatch(
      /^Sie sind Nummer 2/,
    );
  });
});

describe('priorityFor', () => {
  it('ranks frustration and policy limits above asking for a person', () => {
    expect(priorityFor('frustration')).toBe(TicketPriority.High);
    expect(priorityFor('policy: refund amount 400 over auto_approve_limit 150')).toBe(
      TicketPriority.High,
    );
    expect(priorityFor('customer asked for a person')).toBe(TicketPriority.Normal);
  });
});

describe('webhookSignature', () => {
  it('signs timestamp and body, and the check rejects a changed body or a stale timestamp', () => {
    const now = 1_800_000_000_000;
    const ts = now / 1000;
    const signature = webhookSignature('s3cret', ts, '{"a":1}');
    const headers = { timestamp: String(ts), signature };
    expect(verifyWebhookSignature('s3cret', headers, '{"a":1}', 300, now)).toBe(true);
    expect(verifyWebhookSignature('s3cret', headers, '{"a":2}', 300, now)).toBe(false);
    expect(verifyWebhookSignature('s3cret', headers, '{"a":1}', 300, now + 600_000)).toBe(false);
  });
});
