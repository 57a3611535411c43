import { INVISIBLE } from './normalise';
import { CONTROL_TOKEN } from './rules';

const TAG_CHARACTERS = /[\u{E0000}-\u{E007F}]/gu;
/** Control characters other than tab and newline; `\r\n` becomes `\n` first. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;
const ROLE_TAG =
  /<\/?\s*(?:system|sys|user|assistant|human|ai|developer|admin|prompt|instructions?|context|user_input|input|message|document)\s*>/giu;
const ROLE_MARKER =
  /^([ \t]*)(?:#{1,6}[ \t]*|\*\*|\[|<)?(system|assistant|user|human|ai|bot|developer|admin|chatgpt|instructions?)[ \t]*(?:\*\*|\]|>)?[ \t]*:/gimu;
const FENCE = /`{3,}/gu;

/**
 * A copy of a customer's text that can be quoted inside a prompt without impersonating the
 * prompt's own structure:
 * - NFKC; invisible, bidi-control, Unicode-tag and control characters removed;
 * - chat-template tokens (`<|im_start|>`, `[INST]`, `<<SYS>>`) and role/boundary tags
 *   (`<system>`, `</user_input>`) removed;
 * - a role marker opening a line ("### System:", "assistant:") becomes "(system)";
 * - code fences (```) become ''' so the text cannot close a fence it is quoted in.
 * The words themselves are kept: deciding what to do with an attack is detectInjection's job.
 */
export function neutralise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\r\n?/gu, '\n')
    .replace(INVISIBLE, '')
    .replace(TAG_CHARACTERS, '')
    .replace(CONTROL_CHARACTERS, '')
    .replace(CONTROL_TOKEN, '')
    .replace(ROLE_TAG, '')
    .replace(
      ROLE_MARKER,
      (_marker, indent: string, role: string) => `${indent}(${role.toLowerCase()})`,
    )
    .replace(FENCE, "'''");
}
