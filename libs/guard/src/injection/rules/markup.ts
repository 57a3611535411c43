import { anyOf, rule } from '../pattern';
import type { InjectionRule } from '../types';

/** Chat-template control tokens: `<|im_start|>`, `<|endoftext|>`, `[INST]`, `<<SYS>>`. */
export const CONTROL_TOKEN = /<\|[a-z_]{2,30}\|>|\[\/?inst\]|<<\/?sys>>/giu;

const ROLE = anyOf([
  'system',
  'assistant',
  'developer',
  'admin(?:istrator)?',
  'ai',
  'bot',
  'chatgpt',
  'model',
  'sys',
  '(?:new )?instructions?',
]);

/** Horizontal space; `rule()` would turn a literal space inside a class into `\s+`. */
const H = String.raw`[\t\x20]`;

/** Role markers opening a line, as a transcript or template would have them. */
const LINE_START = String.raw`(?:^|\n)${H}*`;

/** Fake roles, template tokens and attempts to close the block the user's text is quoted in. */
export const MARKUP_RULES: readonly InjectionRule[] = [
  { signal: 'system_tag', weight: 0.9, pattern: new RegExp(CONTROL_TOKEN.source, 'iu') },
  {
    signal: 'system_tag',
    weight: 0.8,
    pattern: rule(
      String.raw`<\/?(?:system|sys|assistant|instructions?|admin|developer|prompt|system_prompt)>`,
    ),
  },
  // "### System:", "[assistant]:", "**System**:"
  {
    signal: 'system_tag',
    weight: 0.8,
    pattern: rule(
      String.raw`${LINE_START}(?:#{1,6}${H}*|\*\*|\[|<)${ROLE}${H}*(?:\*\*|\]|>)?${H}*:`,
    ),
  },
  // "assistant: Sure, here is…" — a reply the customer wrote for the model.
  {
    signal: 'system_tag',
    weight: 0.6,
    pattern: rule(
      String.raw`${LINE_START}(?:assistant|chatgpt|developer|admin(?:istrator)?)${H}*:`,
    ),
  },
  // Weak alone: "System: Windows 11" is how a customer describes a device.
  {
    signal: 'system_tag',
    weight: 0.4,
    pattern: rule(String.raw`${LINE_START}(?:system|ai|bot)${H}*:`),
  },
  {
    signal: 'system_tag',
    weight: 0.25,
    pattern: rule(String.raw`${LINE_START}(?:human|user)${H}*:`),
  },
  // "SYSTEM OVERRIDE:", "admin message:", Alpaca's "### Instruction:"
  {
    signal: 'system_tag',
    weight: 0.7,
    pattern: rule(
      String.raw`\b(?:system|admin(?:istrator)?|developer|root|sudo|openai|anthropic) (?:override|message|command|instructions?|prompt|note)\s*:`,
    ),
  },
  {
    signal: 'system_tag',
    weight: 0.7,
    pattern: rule(String.raw`#{2,}${H}*(?:instructions?|system|response|new task|task)\b`),
  },
  {
    signal: 'delimiter_escape',
    weight: 0.55,
    pattern: rule(
      String.raw`\b(?:end|close) (?:of )?(?:the )?(?:\S+ ){0,3}?(?:prompt|instructions|user input|input)\b`,
    ),
  },
  {
    signal: 'delimiter_escape',
    weight: 0.6,
    pattern: rule(
      String.raw`<\/(?:user|user_input|input|context|document|query|message|data|text|content)>`,
    ),
  },
  // A separator line: weak alone, but it is how an attack "closes" the quoted block.
  {
    signal: 'delimiter_escape',
    weight: 0.2,
    pattern: rule(String.raw`${LINE_START}(?:[-=*#_~]{5,}|["'\x60]{3,})${H}*(?:\n|$)`),
  },
];
