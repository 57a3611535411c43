export interface Chunk {
  heading: string;
  content: string;
}

export interface ParsedDocument {
  title: string;
  chunks: Chunk[];
}

export type DocumentFormat = 'markdown' | 'html' | 'text';

/** Sections longer than this are split at paragraph boundaries, so answers stay focused. */
const MAX_CHUNK_CHARS = 1_500;

export function formatOf(fileName: string): DocumentFormat | null {
  if (/\.(md|markdown)$/i.test(fileName)) return 'markdown';
  if (/\.html?$/i.test(fileName)) return 'html';
  if (/\.txt$/i.test(fileName)) return 'text';
  return null;
}

export function parseDocument(
  source: string,
  format: DocumentFormat,
  fallbackTitle: string,
): ParsedDocument {
  switch (format) {
    case 'markdown':
      return splitByHeadings(source.replace(/\r\n?/g, '\n'), fallbackTitle);
    case 'html':
      return splitByHeadings(htmlToMarkdownish(source), fallbackTitle);
    case 'text':
      return { title: fallbackTitle, chunks: splitLong(fallbackTitle, source.trim()) };
  }
}

/**
 * One chunk per heading (#, ##, ###); the chunk's heading is its path ("Returns › Refunds") so a
 * search hit names where it came from. The first H1 is the document's title.
 */
function splitByHeadings(markdown: string, fallbackTitle: string): ParsedDocument {
  let title: string | null = null;
  const path: string[] = [];
  const chunks: Chunk[] = [];
  let body: string[] = [];
  let inFence = false;

  const flush = () => {
    const content = unwrap(body.join('\n').trim());
    body = [];
    if (!content) return;
    const heading = path.filter(Boolean).join(' › ') || title || fallbackTitle;
    chunks.push(...splitLong(heading, content));
  };

  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = inFence ? null : /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) {
      body.push(line);
      continue;
    }
    flush();
    const level = match[1]!.length;
    const text = match[2]!.trim();
    if (level === 1 && title === null) title = text;
    path.length = level - 1;
    path[level - 1] = text;
  }
  flush();
  return { title: title ?? fallbackTitle, chunks };
}

/** Joins hard-wrapped lines of a paragraph; lists, tables, quotes and code keep their lines. */
function unwrap(content: string): string {
  return content
    .split(/\n{2,}/)
    .map((paragraph) =>
      /^\s*([-*+>|]|\d+[.)]|```|~~~)/m.test(paragraph)
        ? paragraph
        : paragraph.replace(/\s*\n\s*/g, ' '),
    )
    .join('\n\n');
}

function splitLong(heading: string, content: string): Chunk[] {
  if (content.length <= MAX_CHUNK_CHARS) return [{ heading, content }];
  const chunks: Chunk[] = [];
  let current = '';
  for (const paragraph of content.split(/\n{2,}/)) {
    if (current && current.length + paragraph.length + 2 > MAX_CHUNK_CHARS) {
      chunks.push({ heading, content: current });
      current = '';
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) chunks.push({ heading, content: current });
  return chunks;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
};

/** Enough HTML handling for help-centre pages: headings kept, scripts and tags dropped. */
function htmlToMarkdownish(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(
      /<h([1-3])[^>]*>([\s\S]*?)<\/h\1>/gi,
      (_m, level: string, text: string) =>
        `\n${'#'.repeat(Number(level))} ${text.replace(/<[^>]+>/g, '').trim()}\n`,
    )
    .replace(/<(br|\/p|\/li|\/div|\/h[4-6])\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}
