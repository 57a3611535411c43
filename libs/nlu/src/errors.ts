/** What went wrong with training or evaluation data. */
export enum NluErrorCode {
  /** The examples file does not exist or cannot be read. */
  FileUnreadable = 'file_unreadable',
  /** A JSONL line is not JSON, or lacks a non-empty string `text` or `intent`. */
  InvalidExample = 'invalid_example',
  /** Nothing to learn: no example has an in-scope intent. */
  NoIntents = 'no_intents',
}

/** The one error the NLU library throws for bad input; `file:line: message` when it has a place. */
export class NluError extends Error {
  constructor(
    readonly code: NluErrorCode,
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    const where = file === undefined ? '' : line === undefined ? `${file}: ` : `${file}:${line}: `;
    super(`${where}${message}`);
    this.name = 'NluError';
  }
}
