/** Splits at paragraph, then sentence, then word boundaries so each part fits `max`. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [
      window.lastIndexOf('\n\n'),
      window.search(/[.!?]\s[^.!?]*$/),
      window.lastIndexOf(' '),
    ]
      .map((i, n) => (n === 1 && i >= 0 ? i + 1 : i))
      .find((i) => i > max / 3);
    const at = cut ?? max;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
