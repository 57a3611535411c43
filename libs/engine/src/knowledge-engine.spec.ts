import { essentials, excerpt } from './knowledge-engine';

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

describe('essentials', () => {
  it('is the first paragraph when that is short, and the rest starts after it', () => {
    const content = `We ship to Canada and the EU.\n\nDuties are paid on delivery. ${'More. '.repeat(60)}`;
    const { text, end } = essentials(content);
    expect(text).toBe('We ship to Canada and the EU.');
    expect(content.slice(end).trim()).toMatch(/^Duties are paid/);
  });

  it('is whole sentences up to about 240 characters of a long paragraph', () => {
    const sentence = 'This sentence is exactly fifty characters long ok. ';
    const { text, end } = essentials(sentence.repeat(10).trim());
    expect(text).toBe(sentence.repeat(4).trim());
    expect(end).toBe(sentence.length * 4 - 1);
  });

  it('keeps one sentence even when it is longer than the budget', () => {
    const long = `${'word '.repeat(80).trim()}. Second sentence.`;
    expect(essentials(long).text).toBe(`${'word '.repeat(80).trim()}.`);
  });
});
