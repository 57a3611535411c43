/**
 * The engine's light markdown in WhatsApp's own markup: `*bold*`, `_italic_`, `~strike~`,
 * monospace kept, headings bold, `[text](url)` as "text (url)" (WhatsApp links bare URLs itself),
 * bullets as `- `. Code spans are left exactly as written.
 */
export function toWhatsAppText(markdown: string): string {
  const code: string[] = [];
  const keep = (match: string) => `\u0000${code.push(match) - 1}\u0000`;
  let text = markdown.replace(/```[\s\S]*?```|`[^`\n]+`/g, keep);
  text = text
    .replace(/^[ \t]*#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, '**$1**')
    .replace(/^([ \t]*)[*+][ \t]+/gm, '$1- ')
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) =>
      label === url || `mailto:${label}` === url ? label : `${label} (${url})`,
    )
    // Bold first, held aside so the italic rule below does not read its asterisks.
    .replace(
      /\*\*(?=\S)([^\n]*?\S)\*\*|__(?=\S)([^\n]*?\S)__/g,
      (_, a?: string, b?: string) => `\u0001${a ?? b}\u0001`,
    )
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)([^\n]*?\S)~~/g, '~$1~')
    .replace(/\u0001/g, '*');
  return text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => code[Number(i)]!);
}

/** WhatsApp's limits for interactive messages (Cloud API reference). */
export const INTERACTIVE = {
  maxButtons: 3,
  buttonTitle: 20,
  maxRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  body: 1_024,
  listButton: 20,
  replyId: 256,
} as const;

/** Quick replies travel in the reply id (titles may be cut): the id gives back the whole text. */
export const QUICK_REPLY_ID = 'qr:';

export type InteractivePayload =
  | {
      type: 'button';
      body: { text: string };
      action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
    }
  | {
      type: 'list';
      body: { text: string };
      action: {
        button: string;
        sections: { rows: { id: string; title: string; description?: string }[] }[];
      };
    };

/**
 * Quick replies as tappable choices: up to 3 short ones as reply buttons, otherwise a list (up to
 * 10 rows, a cut title's whole text in the row's description).
 */
export function interactiveFor(body: string, quickReplies: readonly string[]): InteractivePayload {
  const choices = [...new Set(quickReplies)].slice(0, INTERACTIVE.maxRows);
  const id = (choice: string) => `${QUICK_REPLY_ID}${choice}`.slice(0, INTERACTIVE.replyId);
  if (
    choices.length <= INTERACTIVE.maxButtons &&
    choices.every((c) => [...c].length <= INTERACTIVE.buttonTitle)
  ) {
    return {
      type: 'button',
      body: { text: body },
      action: {
        buttons: choices.map((choice) => ({
          type: 'reply',
          reply: { id: id(choice), title: choice },
        })),
      },
    };
  }
  return {
    type: 'list',
    body: { text: body },
    action: {
      button: 'Choose',
      sections: [
        {
          rows: choices.map((choice) => {
            const title = cut(choice, INTERACTIVE.rowTitle);
            return {
              id: id(choice),
              title,
              ...(title === choice ? {} : { description: cut(choice, INTERACTIVE.rowDescription) }),
            };
          }),
        },
      ],
    },
  };
}

/** The customer's choice as text: the quick reply it came from, else what they tapped. */
export function choiceText(reply: { id?: string; title: string }): string {
  return reply.id?.startsWith(QUICK_REPLY_ID) ? reply.id.slice(QUICK_REPLY_ID.length) : reply.title;
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
