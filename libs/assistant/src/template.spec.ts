import { placeholdersOf, renderTemplate } from './template';

describe(placeholdersOf.name, () => {
  it('lists plain and dotted placeholders in order', () => {
    expect(
      placeholdersOf('Order {order_id} is {result.status}; window {policy.returns.window_days}'),
    ).toEqual(['order_id', 'result.status', 'policy.returns.window_days']);
  });

  it('ignores braces that hold no name', () => {
    expect(placeholdersOf('a { spaced } b {} c {1x}')).toEqual([]);
  });
});

describe(renderTemplate.name, () => {
  it('fills slots and nested values', () => {
    expect(
      renderTemplate('Order {order_id} is {result.status}, ${amount}', {
        order_id: 'ORD-10482',
        amount: 45.5,
        result: { status: 'shipped' },
      }),
    ).toBe('Order ORD-10482 is shipped, $45.5');
  });

  it('leaves a placeholder without a value as written', () => {
    expect(renderTemplate('Hi {name}, see {result.url}', { result: {} })).toBe(
      'Hi {name}, see {result.url}',
    );
  });
});
