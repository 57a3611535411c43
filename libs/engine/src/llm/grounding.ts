/**
 * The specifics a reply can get wrong and a customer would act on: numbers (amounts, days,
 * order ids, times), links, email addresses and PII placeholders. List markers ("1. ") are
 * layout, not facts.
 */
const SPECIFIC =
  /https?:\/\/[^\s<>()"']*[^\s<>()"'.,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[[A-Z]+_\d+\]|\d+(?:[.,:/]\d+)*/g;
const LIST_MARKER = /^\s*\d+[.)]\s/gm;

/** Digit groups are compared one by one: "9:00" is 9, "$1,250.00" is 1 and 250. */
function keysOf(specific: string): string[] {
  if (!/^\d/.test(specific)) return [specific.toLowerCase()];
  return specific
    .split(/[.,:/]/)
    .filter((group) => !/^0+$/.test(group))
    .map((group) => group.replace(/^0+/, ''));
}

export function specificsOf(text: string): string[] {
  return [...text.replace(LIST_MARKER, '').matchAll(SPECIFIC)].map((m) => m[0]);
}

/**
 * Checks a model's reply against everything the model was shown (the system message with the
 * persona, policies and knowledge passages, the history, the customer's message, tool results):
 * a number, link or address found in none of them was made up. Deterministic and cheap; it does
 * not judge wording, only the facts a customer would act on.
 */
export class Grounding {
  private readonly known = new Set<string>();

  constructor(sources: Iterable<string>) {
    for (const source of sources) {
      for (const specific of specificsOf(source)) {
        for (const key of keysOf(specific)) this.known.add(key);
      }
      // Numbers inside links and ids count too: a tracking number quoted from its tracking URL.
      for (const [digits] of source.matchAll(/\d+/g)) this.known.add(digits.replace(/^0+/, ''));
    }
  }

  /** The specifics of `text` that no source supports, in order; empty when grounded. */
  unsupported(text: string): string[] {
    return specificsOf(text).filter((specific) =>
      keysOf(specific).some((key) => !this.known.has(key)),
    );
  }
}
