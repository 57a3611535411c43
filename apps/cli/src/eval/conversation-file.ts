import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from 'yaml';
import { z } from 'zod';

/** A reply expectation: a substring, or `/regex/flags`. */
const matcher = z.string().min(1);

const expectation = z.strictObject({
  /** Every matcher must match one of the turn's replies. */
  reply: z.union([matcher, z.array(matcher)]).optional(),
  /** No reply may match. */
  not_reply: z.union([matcher, z.array(matcher)]).optional(),
  /** The intent stored on the customer's message (`order_status`, `flow.order_status`, `oos`). */
  intent: z.string().optional(),
  /** Slots of the active flow after the turn. */
  slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  status: z.enum(['bot', 'handoff', 'closed']).optional(),
  /** The escalation reason, substring or /regex/. */
  escalation: matcher.optional(),
  /** Labels the turn's quick replies must include. */
  quick_replies: z.array(z.string()).optional(),
  /** No reply repeats any email, phone, card or other PII the customer wrote in this turn. */
  no_pii: z.boolean().optional(),
  /** The turn produces no reply at all (handoff). */
  silent: z.boolean().optional(),
});

export const conversationFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /**
   * Who is talking: a customer the shop's site has logged in (each message carries a userHash,
   * so account tools may act), or an anonymous visitor (public information only).
   */
  customer: z.enum(['verified', 'visitor']).default('verified'),
  turns: z
    .array(z.strictObject({ say: z.string().min(1), expect: expectation.default({}) }))
    .min(1),
});

export type ConversationTest = z.infer<typeof conversationFileSchema> & { file: string };
export type TurnExpectation = z.infer<typeof expectation>;

/** Reads every `*.yaml` under `dir`; one error lists every invalid file. */
export async function readConversationTests(dir: string): Promise<ConversationTest[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new Error(`no conversation files (*.yaml) in ${dir}`);
  const problems: string[] = [];
  const tests: ConversationTest[] = [];
  for (const file of files) {
    try {
      const parsed = conversationFileSchema.safeParse(parse(await readFile(file, 'utf8')));
      if (parsed.success) tests.push({ ...parsed.data, file });
      else
        problems.push(
          ...parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`),
        );
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`invalid conversation files:\n  ${problems.join('\n  ')}`);
  return tests;
}

/** `/regex/i` or a case-insensitive substring. */
export function matches(pattern: string, text: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex) return new RegExp(regex[1]!, regex[2]).test(text);
  return text.toLowerCase().includes(pattern.toLowerCase());
}
