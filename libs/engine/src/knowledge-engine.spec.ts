import { excerpt } from './knowledge-engine';

describe('excerpt', () => {
  it('keeps short text whole', () => {
    expect(excerpt('  Short answer.  ', 100)).toBe('Short answer.');
  });

  it('cuts long text at a sentence end and marks the cut', () => {
    const text = 'First sentence here. Second sentence is longer than the budget allows.';
    expect(excerpt(text, 40)).toBe('First sentence here.…');
  });

  it('never exceeds the budget by more than the ellipsis', () => {
    const text = 'x'.repeat(500);
    expect(excerpt(text, 100).length).toBeLessThanOrEqual(101);
  });
});
