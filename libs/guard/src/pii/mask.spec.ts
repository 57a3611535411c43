import { detectPii } from './detect';
import { maskPii, placeholdersIn } from './mask';
import { PiiType, luhnValid } from './recognizers';

describe(maskPii.name, () => {
  it('replaces each kind of personal data with a typed placeholder', () => {
    const { masked, found } = maskPii(
      'Card 4111 1111 1111 1111, mail jane.doe@example.com, call +44 20 7123 4567, ' +
        'IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1123, from 192.168.1.20',
    );
    expect(masked).toBe(
      'Card [CARD_1], mail [EMAIL_1], call [PHONE_1], IBAN [IBAN_1], SSN [SSN_1], from [IP_1]',
    );
    expect(found.map((f) => f.value)).toEqual([
      '4111 1111 1111 1111',
      'jane.doe@example.com',
      '+44 20 7123 4567',
      'DE89 3704 0044 0532 0130 00',
      '078-05-1123',
      '192.168.1.20',
    ]);
  });

  it('gives a repeated value the same placeholder and numbers different ones', () => {
    const { masked, found } = maskPii('a@x.io, b@x.io, again a@x.io');
    expect(masked).toBe('[EMAIL_1], [EMAIL_2], again [EMAIL_1]');
    expect(found).toHaveLength(2);
  });

  it('leaves order ids, dates, amounts, times and versions alone', () => {
    const text =
      'Order ORD-12345 from 2026-03-25 (or 03/25/2026) for $129.99 at 10:30, app 1.2.3, invoice 4400123';
    expect(maskPii(text).masked).toBe(text);
  });

  it('ignores card-shaped numbers that fail the Luhn check', () => {
    expect(maskPii('card 4111 1111 1111 1112').masked).toBe('card 4111 1111 1111 1112');
    expect(luhnValid('4012888888881881')).toBe(true);
    expect(luhnValid('4012888888881882')).toBe(false);
  });

  it('ignores IBAN-shaped strings with a wrong checksum', () => {
    expect(maskPii('DE89 3704 0044 0532 0130 01').found).toEqual([]);
  });

  it('finds national phone formats of the configured regions only', () => {
    expect(detectPii('ring 020 7123 4567', { phoneRegions: ['GB'] })[0]?.type).toBe(PiiType.Phone);
    expect(detectPii('ring 020 7123 4567', { phoneRegions: ['US'] })).toEqual([]);
  });

  it('lists the placeholders found in masked text', () => {
    expect(placeholdersIn('call [PHONE_1] or mail [EMAIL_2]')).toEqual([
      { placeholder: '[PHONE_1]', type: PiiType.Phone },
      { placeholder: '[EMAIL_2]', type: PiiType.Email },
    ]);
  });
});
