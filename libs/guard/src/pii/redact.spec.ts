import { redactPii, redactPiiDeep } from './redact';

describe(redactPii.name, () => {
  it('shows only enough of each value to recognise it', () => {
    expect(
      redactPii(
        'Ships to jane.doe@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, ' +
          'IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1123, from 192.168.1.20',
      ),
    ).toBe(
      'Ships to j•••@example.com, call •••• 0958, card •••• 1111, ' +
        'IBAN DE•• •••• 3000, SSN •••-••-••••, from •••',
    );
  });

  it('leaves text without personal data as it was', () => {
    const text = 'Order ORD-10482 shipped on 2026-11-02 for $129.99';
    expect(redactPii(text)).toBe(text);
  });
});

describe(redactPiiDeep.name, () => {
  it('redacts every string of a nested value and keeps numbers and keys', () => {
    expect(
      redactPiiDeep({
        email: 'jane@example.com',
        total: 42,
        lines: [{ contact: 'call +1 415 555 2671' }],
      }),
    ).toEqual({ email: 'j•••@example.com', total: 42, lines: [{ contact: 'call •••• 2671' }] });
  });
});
