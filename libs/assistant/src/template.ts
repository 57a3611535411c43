/** `{order_id}`, `{result.status}`, `{policy.returns.window_days}`. */
const PLACEHOLDER = /\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}/g;

/** The placeholder names in a template, in order, without braces. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Fills `{name}` and `{a.b.c}` from `values`; a placeholder with no value stays as written, so a
 * gap shows in the reply instead of an empty string.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, unknown>>,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    let value: unknown = values;
    for (const key of name.split('.')) {
      if (value === null || typeof value !== 'object') return whole;
      value = (value as Record<string, unknown>)[key];
    }
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : whole;
  });
}
