/** What kind of mistake a problem is; lets tools group or filter them. */
export enum AssistantProblemCode {
  /** A required file or folder is missing, or a file is misnamed. */
  File = 'file',
  /** The file is not valid YAML. */
  Syntax = 'syntax',
  /** A value has the wrong shape: missing field, wrong type, unknown field. */
  Schema = 'schema',
  /** A name points at nothing: unknown intent, entity, tool, slot, language or placeholder. */
  Reference = 'reference',
}

/** One mistake in an assistant folder, located as precisely as the files allow. */
export interface AssistantProblem {
  code: AssistantProblemCode;
  /** Path of the file as given to the loader (relative to the working directory when inside it). */
  file: string;
  /** 1-based; absent when the problem is about a whole file or folder. */
  line?: number;
  column?: number;
  /** Dotted path of the value inside the file, e.g. `slots.order_id.entity`. */
  path?: string;
  message: string;
}

/** `file:line:col: path: message`, the form editors and terminals turn into links. */
export function formatProblem(problem: AssistantProblem): string {
  const where =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path
    ? `${where}: ${problem.path}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/** Every problem found in an assistant folder; thrown once, after the whole folder was checked. */
export class AssistantDefinitionError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly AssistantProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Assistant ${dir} has ${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'AssistantDefinitionError';
  }
}
