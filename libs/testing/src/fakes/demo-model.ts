import type { FakeToolCall, RecordedRequest, Scripted } from './fake-llm-server';

/**
 * A scripted support model for the demo assistant (assistants/demo), for `fake.respondWith()`: it
 * reads the Chat Completions request the way a careful model would and answers deterministically.
 * It calls a tool when the customer asks for what that tool does (with the arguments it can read
 * from the message; the engine's repair round and the tool's flow ask for the rest), answers from
 * a tool result, from a quoted knowledge passage that covers the question, greets, thanks, and
 * otherwise says it does not know. A test double, not an NLU: word lists, no understanding.
 */
export function demoModel(request: RecordedRequest): Scripted {
  const messages = (request.body.messages ?? []) as WireMessage[];
  const offered = ((request.body.tools ?? []) as { function: WireTool }[]).map((t) => t.function);
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const lang: Lang = /Reply in German/.test(system) ? 'de' : 'en';
  const last = messages.at(-1);
  if (last?.role === 'tool') return afterTool(messages, last, lang);

  const said = normaliseOrderIds(last?.content ?? '');
  const wanted = Object.keys(WANTS).find((name) => wants(name, said));
  if (wanted) {
    const tool = offered.find((t) => t.name === wanted);
    // Not offered: account tools are only for signed-in customers.
    if (!tool) return reply(TEXTS.signIn[lang]);
    return {
      kind: 'tool_calls',
      calls: [{ id: `call_${messages.length}`, ...callOf(tool, said) }],
    };
  }
  const passage = passagesIn(system).find((p) => covers(p, said));
  if (passage)
    return reply(
      `${firstSentences(passage.content, 2)}\n\n${TEXTS.source[lang]}: ${passage.source}`,
    );
  if (/^\s*(hi|hello|hey|hallo|guten (morgen|tag|abend))\b/i.test(said)) {
    const name = /^You are ([^,]+), the assistant of ([^.]+)\./.exec(system);
    return reply(TEXTS.greet[lang](name?.[1] ?? 'the assistant', name?.[2] ?? 'support'));
  }
  if (/\b(thanks|thank you|danke)\b/i.test(said)) return reply(TEXTS.thanks[lang]);
  if (/\b(bye|goodbye|tschüss)\b/i.test(said)) return reply(TEXTS.bye[lang]);
  return reply(TEXTS.unknown[lang]);
}

type Lang = 'en' | 'de';

/** A Chat Completions message as the fake server receives it. */
interface WireMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface WireTool {
  name: string;
  parameters?: { properties?: Record<string, WireProperty> };
}

interface WireProperty {
  type?: string;
  pattern?: string;
  enum?: string[];
}

/** What a customer says when they want a demo tool's job done; the first that fits is called. */
const WANTS: Record<string, RegExp> = {
  start_return: /\breturn\b|\bsend (it |this |them )?back\b/i,
  request_refund: /\brefund\b/i,
  change_plan: /\b(upgrade|downgrade|plan)\b/i,
  cancel_order: /\bcancel\b/i,
  change_address: /\baddress\b/i,
  open_billing_dispute: /\bdispute\b/i,
  send_password_reset: /\bpassword\b/i,
  schedule_callback: /\bcall (me|us)\b|\bcall ?back\b/i,
  // Last: "cancel ORD-55120" names an order too.
  get_order_status: /ORD-\d{5}|\b(where|wo)\b.*\b(order|parcel|package|bestellung)\b/i,
};

/** Tools that change something are asked for, not asked about ("how long does a refund take?"). */
const ASKS_ABOUT = /\b(how (long|much|many)|what|which|when)\b/i;
const READ_ONLY = new Set(['get_order_status']);

const wants = (tool: string, said: string) =>
  WANTS[tool]!.test(said) && (READ_ONLY.has(tool) || !ASKS_ABOUT.test(said));

/** "ord55120" is read as ORD-55120, as a model would. */
const normaliseOrderIds = (text: string) => text.replace(/\bord-?(\d{5})\b/gi, 'ORD-$1');

/** The arguments the message states; the engine's repair round and the flow ask for the rest. */
function callOf(tool: WireTool, said: string): Omit<FakeToolCall, 'id'> {
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.parameters?.properties ?? {})) {
    const value = argumentIn(said, name, schema);
    if (value !== undefined) args[name] = value;
  }
  return { name: tool.name, arguments: JSON.stringify(args) };
}

function argumentIn(said: string, name: string, schema: WireProperty): unknown {
  // Personal data reaches the model as a placeholder ([EMAIL_1]) and is passed on as one.
  if (schema.pattern?.startsWith('^\\['))
    return new RegExp(`\\[${name.toUpperCase()}_\\d+\\]`).exec(said)?.[0];
  if (schema.pattern) return new RegExp(schema.pattern.replace(/^\^|\$$/g, '')).exec(said)?.[0];
  if (schema.enum)
    return schema.enum.find((v) => said.toLowerCase().includes(v.replace(/_/g, ' ')));
  const amount = schema.type === 'number' ? /\$\s?(\d+(?:\.\d+)?)/.exec(said) : null;
  return amount ? Number(amount[1]) : undefined;
}

function afterTool(messages: WireMessage[], last: WireMessage, lang: Lang): Scripted {
  const call = messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === last.tool_call_id);
  const result = JSON.parse(
    /<tool_result>\s*([\s\S]*?)\s*<\/tool_result>/.exec(last.content ?? '')?.[1] ?? '{}',
  ) as { outcome?: string; fields?: Fields };
  // The arguments were refused: the same call again (it knows no more), and the tool's flow asks.
  if (call && result.outcome === 'invalid_arguments') {
    return {
      kind: 'tool_calls',
      calls: [
        { id: `${call.id}_again`, name: call.function.name, arguments: call.function.arguments },
      ],
    };
  }
  const args = JSON.parse(call?.function.arguments ?? '{}') as Record<string, unknown>;
  if (call?.function.name === 'get_order_status') {
    const order = String(args.order_id);
    const fields = result.fields ?? {};
    const status = ORDER_STATUS[lang][result.outcome ?? ''];
    if (!status) return reply(`${order}: ${result.outcome ?? 'unknown'}.`);
    return reply(status(order, fields));
  }
  const facts = Object.entries(result.fields ?? {}).map(([k, v]) => `${k}: ${String(v)}`);
  return reply(`${result.outcome ?? 'done'}${facts.length ? ` (${facts.join(', ')})` : ''}.`);
}

/** A tool result's fields: the values the API's response mapping picked. */
type Fields = Record<string, string | number | boolean | null | undefined>;

const ORDER_STATUS: Record<Lang, Record<string, (order: string, f: Fields) => string>> = {
  en: {
    processing: (o) => `Order ${o} is being packed in our warehouse and hasn't shipped yet.`,
    shipped: (o, f) =>
      `Order ${o} is on its way with ${String(f.carrier)}` +
      (f.estimated_delivery ? `, expected by ${String(f.estimated_delivery)}` : '') +
      (f.tracking_url ? `. Tracking: ${String(f.tracking_url)}` : '.'),
    delivered: (o) => `Order ${o} has been delivered.`,
    not_found: (o) => `I couldn't find order ${o} on your account. Could you check the number?`,
  },
  de: {
    processing: (o) => `Bestellung ${o} wird gerade in unserem Lager verpackt.`,
    shipped: (o, f) =>
      `Bestellung ${o} ist mit ${String(f.carrier)} unterwegs` +
      (f.estimated_delivery ? `, voraussichtlich bis ${String(f.estimated_delivery)}` : '') +
      (f.tracking_url ? `. Sendungsverfolgung: ${String(f.tracking_url)}` : '.'),
    delivered: (o) => `Bestellung ${o} wurde zugestellt.`,
    not_found: (o) =>
      `Ich finde Bestellung ${o} nicht in Ihrem Konto. Könnten Sie die Nummer prüfen?`,
  },
};

const TEXTS = {
  signIn: {
    en: "I can help with that once you're signed in to your account on our website.",
    de: 'Dabei helfe ich Ihnen gern, sobald Sie in Ihrem Konto auf unserer Website angemeldet sind.',
  },
  source: { en: 'Source', de: 'Quelle' },
  greet: {
    en: (name: string, shop: string) => `Hi, I'm ${name} from ${shop}. How can I help?`,
    de: (name: string, shop: string) =>
      `Hallo, ich bin ${name} von ${shop}. Wie kann ich Ihnen helfen?`,
  },
  thanks: {
    en: "You're welcome! Anything else I can do?",
    de: 'Gern geschehen! Kann ich sonst noch helfen?',
  },
  bye: { en: 'Goodbye, and have a good day!', de: 'Auf Wiedersehen und einen schönen Tag!' },
  unknown: {
    en: "Sorry, that's outside what I know. I can connect you with our support team if you like.",
    de: 'Das weiß ich leider nicht. Ich kann Sie gern mit unserem Support-Team verbinden.',
  },
};

interface QuotedPassage {
  source: string;
  section: string;
  content: string;
}

function passagesIn(system: string): QuotedPassage[] {
  const quoted = system.matchAll(
    /<knowledge source="([^"]*)" section="([^"]*)">\n([\s\S]*?)\n<\/knowledge>/g,
  );
  return [...quoted].map(([, source, section, content]) => ({
    source: source!,
    section: section!,
    content: content!,
  }));
}

const STOP_WORDS = new Set(
  'about could does from have into like long much many please should that their there these this what when where which with would your wie lange nach eine einen haben können bitte'.split(
    ' ',
  ),
);

/** Half the question's words (by their first five letters) appear in the passage. */
function covers(passage: QuotedPassage, question: string): boolean {
  const stem = (word: string) => word.toLowerCase().slice(0, 5);
  const words = (text: string) => text.match(/\p{L}{4,}/gu) ?? [];
  const asked = words(question).filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  const known = new Set(words(`${passage.source} ${passage.section} ${passage.content}`).map(stem));
  return asked.length > 0 && asked.filter((w) => known.has(stem(w))).length / asked.length >= 0.5;
}

const firstSentences = (text: string, count: number) =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-ZÄÖÜ])/)
    .slice(0, count)
    .join(' ');

const reply = (text: string): Scripted => ({ kind: 'text', text });
