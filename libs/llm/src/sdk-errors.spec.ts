import { retryAfterMs } from './sdk-errors';

describe(retryAfterMs.name, () => {
  const now = Date.parse('2026-11-20T10:00:00Z');

  it('prefers retry-after-ms over retry-after', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }), now)).toBe(
      250,
    );
  });

  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Fri, 20 Nov 2026 10:00:05 GMT' }), now)).toBe(
      5_000,
    );
  });

  it('gives undefined when there is no usable header', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});
