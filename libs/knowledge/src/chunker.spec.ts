import { formatOf, parseDocument } from './chunker';

describe('parseDocument', () => {
  it('splits Markdown by headings and names each chunk by its heading path', () => {
    const doc = parseDocument(
      '# Returns\nIntro.\n\n## Refunds\nRefunds take 5 days.\n\n### Card\nBack to the card.\n',
      'markdown',
      'file',
    );
    expect(doc.title).toBe('Returns');
    expect(doc.chunks).toEqual([
      { heading: 'Returns', content: 'Intro.' },
      { heading: 'Returns › Refunds', content: 'Refunds take 5 days.' },
      { heading: 'Returns › Refunds › Card', content: 'Back to the card.' },
    ]);
  });

  it('does not treat # inside code fences as headings', () => {
    const doc = parseDocument('# T\n```\n# not a heading\n```\n', 'markdown', 'f');
    expect(doc.chunks).toHaveLength(1);
    expect(doc.chunks[0]!.content).toContain('# not a heading');
  });

  it('keeps headings and drops scripts and tags from HTML', () => {
    const doc = parseDocument(
      '<html><head><title>x</title></head><body><h1>Shipping</h1><p>We ship in 2 days &amp; more.</p>' +
        '<script>alert(1)</script><h2>Abroad</h2><p>10 days.</p></body></html>',
      'html',
      'f',
    );
    expect(doc.title).toBe('Shipping');
    expect(doc.chunks.map((c) => c.heading)).toEqual(['Shipping', 'Shipping › Abroad']);
    expect(doc.chunks[0]!.content).toBe('We ship in 2 days & more.');
    expect(JSON.stringify(doc)).not.toContain('alert');
  });

  it('splits long sections at paragraph boundaries', () => {
    const paragraph = 'word '.repeat(200).trim();
    const doc = parseDocument(
      `# Long\n${[paragraph, paragraph, paragraph].join('\n\n')}`,
      'markdown',
      'f',
    );
    expect(doc.chunks.length).toBeGreaterThan(1);
    expect(doc.chunks.every((c) => c.content.length <= 1_500)).toBe(true);
  });

  it('recognises formats by extension', () => {
    expect(formatOf('a.MD')).toBe('markdown');
    expect(formatOf('b.htm')).toBe('html');
    expect(formatOf('c.txt')).toBe('text');
    expect(formatOf('d.pdf')).toBeNull();
  });
});

describe('parseDocument paragraphs', () => {
  it('joins hard-wrapped lines but keeps list items on their own lines', () => {
    const doc = parseDocument(
      '# T\nOne line\nwrapped here.\n\n- first\n- second\n',
      'markdown',
      'f',
    );
    expect(doc.chunks[0]!.content).toBe('One line wrapped here.\n\n- first\n- second');
  });
});
