import { Grounding, specificsOf } from './grounding';

describe(Grounding.name, () => {
  const sources = [
    'Refunds reach your card within 5 to 10 business days. Express shipping costs $1,250.00 for pallets.',
    'Our desk is open 9:00 to 17:30. Details: https://help.example.com/refunds or write to help@example.com.',
    '<tool_result>{"order_id":"ORD-10482","carrier":"UPS","eta":"2026-11-24"}</tool_result>',
    'My email is [EMAIL_1]',
  ];
  const grounding = new Grounding(sources);

  it('accepts numbers, links and addresses that appear in what the model was shown', () => {
    expect(
      grounding.unsupported(
        'Refunds take 5 to 10 business days; ORD-10482 arrives on 2026-11-24 (9:00–17:30). ' +
          'See https://help.example.com/refunds, write to help@example.com or we reply to [EMAIL_1].',
      ),
    ).toEqual([]);
  });

  it('flags what nothing supports: a made-up period, link, address or placeholder', () => {
    expect(
      grounding.unsupported(
        'Refunds take 3 business days. See https://refunds.example.net or mail refunds@example.com about [PHONE_1].',
      ),
    ).toEqual(['3', 'https://refunds.example.net', 'refunds@example.com', '[PHONE_1]']);
  });

  it('compares digit groups, so a reformatted amount or time still counts as supported', () => {
    expect(grounding.unsupported('It costs $1,250 and we open at 9.')).toEqual([]);
    expect(grounding.unsupported('It costs $1,350.')).toEqual(['1,350']);
  });

  it('does not take list numbering for facts', () => {
    expect(specificsOf('1. Open the app\n2. Tap Orders\n3) Choose ORD-10482')).toEqual(['10482']);
  });
});
