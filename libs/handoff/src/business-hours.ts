import type { Policies } from '@parley/assistant';

type Hours = Policies['business_hours'];

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function localParts(at: Date, zone: string): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(part('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  return { day, time: `${part('hour')}:${part('minute')}` };
}

/** Whether the support team works at `at`, in their own time zone. */
export function isOpenAt(hours: Hours, at: Date): boolean {
  const { day, time } = localParts(at, hours.timezone);
  return hours.weekly[DAYS[day]!].some((r) => r.open <= time && time < r.close);
}

/** When the team is next in: days ahead (0 today), the weekday index (0 Sunday) and the time. */
export interface Opening {
  daysAhead: number;
  weekday: number;
  time: string;
  timeZone: string;
}

/** The next opening after `at` within a week; null when the team is never in. */
export function nextOpeningAfter(hours: Hours, at: Date): Opening | null {
  const { day, time } = localParts(at, hours.timezone);
  for (let ahead = 0; ahead < 8; ahead++) {
    const weekday = (day + ahead) % 7;
    const next = hours.weekly[DAYS[weekday]!].find((r) => ahead > 0 || r.open > time);
    if (next) return { daysAhead: ahead, weekday, time: next.open, timeZone: hours.timezone };
  }
  return null;
}
