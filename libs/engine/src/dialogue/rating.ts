/** "4", "4/5", "4 stars", "5!": a rating from 1 to 5, alone in the message. */
export function ratingIn(text: string): number | null {
  const match = /^\s*([1-5])\s*(?:\/\s*5|(?:out of|von)\s*5|stars?|sterne)?\s*[.!]?\s*$/i.exec(
    text,
  );
  return match ? Number(match[1]) : null;
}
