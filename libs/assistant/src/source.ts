import {
  LineCounter,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';

import { AssistantProblemCode, type AssistantProblem } from './errors';

export type ValuePath = readonly PropertyKey[];

export interface LocateOptions {
  /** Point at this text inside the scalar found (e.g. one placeholder in a long template). */
  needle?: string;
}

/** One parsed YAML file that can say where any value in it was written. */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; syntax errors come back as problems and leave `source` undefined. */
  static parse(file: string, text: string): { source?: YamlSource; problems: AssistantProblem[] } {
    const lines = new LineCounter();
    // uniqueKeys (the default) makes a repeated key an error rather than a silent overwrite.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      return {
        problems: doc.errors.map((error) => {
          const { line, col } = lines.linePos(error.pos[0]);
          return {
            code: AssistantProblemCode.Syntax,
            file,
            line,
            column: col,
            message: `invalid YAML: ${error.message}`,
          };
        }),
      };
    }
    return { source: new YamlSource(file, text, doc, lines), problems: [] };
  }

  /** Stands in for an optional file that is absent. */
  static empty(file: string): YamlSource {
    const lines = new LineCounter();
    return new YamlSource(file, '', parseDocument('', { lineCounter: lines }), lines);
  }

  /** The file's content as plain data (null for an empty file). */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  problem(
    code: AssistantProblemCode,
    path: ValuePath,
    message: string,
    options: LocateOptions = {},
  ): AssistantProblem {
    const { line, col } = this.lines.linePos(this.offsetOf(path, options));
    return {
      code,
      file: this.file,
      line,
      column: col,
      ...(path.length > 0 ? { path: path.map(String).join('.') } : {}),
      message,
    };
  }

  /**
   * Where `path` was written: a map entry's key, a list item, or, when the path goes further than
   * the file does (a missing field), the key of the deepest entry that exists.
   */
  private offsetOf(path: ValuePath, { needle }: LocateOptions): number {
    let node: unknown = this.doc.contents;
    let at = startOf(node) ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) =>
            isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        at = startOf(pair.key) ?? at;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && isNode(node.items[segment])) {
        node = node.items[segment];
        at = startOf(node) ?? at;
      } else {
        // Also where a single text stands for a list of one: the needle is still searched in it.
        break;
      }
    }
    if (needle && isScalar(node) && node.range) {
      const index = this.text.slice(node.range[0], node.range[1]).indexOf(needle);
      if (index >= 0) return node.range[0] + index;
    }
    return at;
  }
}

function startOf(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}
