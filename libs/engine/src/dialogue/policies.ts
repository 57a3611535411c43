import type { Policies } from '@parley/assistant';

type AdviceTopic = Policies['boundaries']['refuse_advice'][number];

/**
 * Requests for professional advice, recognised by what is asked rather than single words:
 * "can I sue you" or "should I invest", not "legal name" or "medical supplies".
 */
const ADVICE: Record<AdviceTopic, RegExp> = {
  legal:
    /\b(legal advice|(my|a) lawyer|attorney|sue (you|them|the \w+|harbor)|(can|could|should) (i|we) sue|take (you|them) to court|small claims|lawsuit|is it legal|legally (allowed|required|entitled)|rechtsberatung|anwalt|verklagen)\b/i,
  medical:
    /\b(medical advice|diagnos\w*|symptoms?|prescri\w+|medication|dosage|should i see a doctor|is it safe (to take|for my)|ärztlich|arzt|medikament)\b/i,
  financial:
    /\b(financial advice|invest(ing|ment)?s?\b.*\b(should|advice|recommend)|should i (invest|buy (stocks?|shares|crypto|bitcoin))|stocks? to buy|tax advice|retirement (plan|savings)|anlageberatung|aktien kaufen)\b/i,
};

export function adviceTopic(text: string, refused: readonly AdviceTopic[]): AdviceTopic | null {
  return refused.find((topic) => ADVICE[topic].test(text)) ?? null;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function localParts(at: Date, zone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const day = parts
    .find((p) => p.type === 'weekday')!
    .value.toLowerCase()
    .slice(0, 3);
  const hh = parts.find((p) => p.type === 'hour')!.value;
  const mm = parts.find((p) => p.type === 'minute')!.value;
  return { day: DAYS.indexOf(day as (typeof DAYS)[number]), time: `${hh}:${mm}` };
}

/** Whether the support team works at `at` (business hours in their own time zone). */
export function isOpen(hours: Policies['business_hours'], at: Date): boolean {
  const { day, time } = localParts(at, hours.timezone);
  return hours.weekly[DAYS[day]!].some((r) => r.open <= time && time < r.close);
}

/** "Monday at 08:00 (America/Los_Angeles)": when the team is next in, within a week. */
export function nextOpening(hours: Policies['business_hours'], at: Date): string | null {
  const { day, time } = localParts(at, hours.timezone);
  for (let ahead = 0; ahead < 8; ahead++) {
    const d = (day + ahead) % 7;
    const ranges = hours.weekly[DAYS[d]!];
    const next = ranges.find((r) => ahead > 0 || r.open > time);
    if (!next) continue;
    const name =
      ahead === 0
        ? 'today'
        : ahead === 1
          ? 'tomorrow'
          : `on ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d]}`;
    return `${name} at ${next.open} (${hours.timezone.replace(/_/g, ' ')} time)`;
  }
  return null;
}

/** Reads a number in policies.yaml by its path, e.g. refunds.auto_approve_limit. */
export function policyNumber(policies: Policies, path: string): number | null {
  let value: unknown = policies;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' ? value : null;
}
