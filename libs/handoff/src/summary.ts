/** Most characters of one message quoted in a ticket's summary. */
const QUOTE_MAX = 280;

const ROLE_LABEL: Record<string, string> = {
  user: 'Customer',
  assistant: 'Bot',
  agent: 'Agent',
};

/**
 * A ticket's summary: the conversation's rolling summary (turns older than the engine's window)
 * followed by its last messages, all masked text.
 */
export function ticketSummary(
  rolling: string | null,
  messages: readonly { role: string; text: string }[],
): string {
  const quoted = messages.map((m) => {
    const text = m.text.replace(/\s+/g, ' ').trim();
    const short = text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text;
    return `${ROLE_LABEL[m.role] ?? m.role}: ${short}`;
  });
  return [rolling?.trim() ? `Earlier: ${rolling.trim()}` : '', ...quoted]
    .filter(Boolean)
    .join('\n');
}

/** Money named with a currency: $120, 49.99 USD, €15, 20 euros (bare numbers are not amounts). */
const AMOUNT =
  /(?:(?:\$|€|£|usd\s?|eur\s?)\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\b\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?\s?(?:dollars?|usd|euros?|eur|bucks)\b)/gi;

export function amountsIn(text: string): string[] {
  return [...text.matchAll(AMOUNT)].map((m) => m[0].replace(/\s+/g, ' ').trim());
}

/** Adds values to an entity map, keeping each value once, in order of first mention. */
export function addEntities(
  into: Record<string, string[]>,
  name: string,
  values: readonly string[],
): void {
  for (const value of values) {
    const list = (into[name] ??= []);
    if (!list.includes(value)) list.push(value);
  }
}
