import { randomUUID } from 'node:crypto';

import { loadAssistant, type AssistantDefinition } from '@parley/assistant';
import { PATHS } from '@parley/config';
import { CHANNEL_CAPABILITIES, type ChannelId } from '@parley/contracts';
import { Database, KnowledgeRepository, type TurnContext } from '@parley/db';
import { OUT_OF_SCOPE, type Classification } from '@parley/nlu';
import { seedDemoKnowledge, testEnv } from '@parley/testing';

import { DialogueEngine, KnowledgeEngine, type EngineReply } from '../src';

/**
 * The dialogue engine's decisions with a scripted classifier, so each routing rule is tested on
 * the probabilities it is about, not on what the trained model happens to output. Knowledge comes
 * from the demo documents in the real Postgres.
 */
describe(DialogueEngine.name, () => {
  let db: Database;
  let definition: AssistantDefinition;
  let knowledge: KnowledgeEngine;
  /** What the classifier says for each message; anything else is out of scope. */
  let script: Record<string, [intent: string, confidence: number][]>;

  beforeAll(async () => {
    await seedDemoKnowledge();
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    definition = await loadAssistant(PATHS.demoAssistant);
    knowledge = new KnowledgeEngine(new KnowledgeRepository(db), {
      language: 'english',
      minCoverage: 0.5,
      maxAnswerChars: 700,
    });
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    script = {};
  });

  const classifier = {
    classify(text: string): Classification {
      const ranking = (script[text] ?? []).map(([intent, confidence]) => ({ intent, confidence }));
      const [best] = ranking;
      return best && best.confidence >= 0.3
        ? { intent: best.intent, confidence: best.confidence, ranking }
        : { intent: OUT_OF_SCOPE, confidence: 1 - (best?.confidence ?? 0), ranking };
    },
  };

  /**
   * A conversation with the engine: each turn feeds the state and summary to the next. The
   * customer is verified (signed in) unless said otherwise.
   */
  function conversation(channel: ChannelId = 'web', verified = true) {
    const engine = new DialogueEngine({
      definition,
      classifier,
      knowledge,
      tools: null,
      // A Wednesday at noon in the shop's time zone: the team is in.
      now: () => new Date('2026-11-18T20:00:00Z'),
    });
    const conversationId = randomUUID();
    let state: unknown = null;
    let summary: string | null = null;
    return async (text: string): Promise<EngineReply> => {
      const context: TurnContext = {
        status: 'bot',
        state,
        summary,
        language: 'en',
        customerId: conversationId,
        verified,
        history: [],
        previous: null,
      } as unknown as TurnContext;
      const reply = await engine.respond({
        assistantId: 'demo',
        conversationId,
        channel,
        capabilities: CHANNEL_CAPABILITIES[channel],
        text,
        messageId: randomUUID(),
        context,
      });
      state = reply.state ?? state;
      summary = reply.summary ?? summary;
      return reply;
    };
  }
  const text = (reply: EngineReply) => reply.replies.map((r) => r.text).join('\n');

  it('acts on a confident intent: a flow asks for what it needs', async () => {
    script['check on a parcel'] = [['order_status', 0.8]];
    const reply = await conversation()('check on a parcel');
    expect(reply.intent).toBe('order_status');
    expect(text(reply)).toMatch(/order number/i);
  });

  it('asks an unverified visitor to sign in before an account task, but helps with a public one', async () => {
    script['check on a parcel'] = [['order_status', 0.8]];
    script['I forgot my password'] = [['reset_password', 0.8]];
    const visitor = conversation('web', false);
    const refused = await visitor('check on a parcel');
    expect(text(refused)).toMatch(/once you're signed in/);
    expect(text(refused)).not.toMatch(/order number/i);
    // No flow was started: the next message is not read as an order number.
    expect((refused.state as { flow: unknown }).flow).toBeNull();
    // Resetting a password is for people who cannot sign in: it asks for the email.
    expect(text(await visitor('I forgot my password'))).toMatch(/email/i);
  });

  it('asks "did you mean" when two intents are close, and the chosen label decides', async () => {
    script['my package thing'] = [
      ['order_status', 0.4],
      ['start_return', 0.35],
    ];
    const say = conversation();
    const asked = await say('my package thing');
    expect(asked.intent).toBe('clarify');
    expect(text(asked)).toBe('Just to be sure, do you mean order status or start return?');
    expect(asked.replies[0]!.quickReplies).toEqual(['order status', 'start return']);

    const chosen = await say('start return');
    expect(chosen.intent).toBe('start_return');
  });

  it('does not offer a choice when the second intent is far behind; it acts on the first', async () => {
    script['my package thing'] = [
      ['order_status', 0.45],
      ['start_return', 0.1],
    ];
    const reply = await conversation()('my package thing');
    expect(reply.intent).toBe('order_status');
  });

  it('never offers small talk as a "did you mean" option', async () => {
    script['hi where is it'] = [
      ['greet', 0.4],
      ['order_status', 0.38],
    ];
    const reply = await conversation()('hi where is it');
    expect(reply.intent).not.toBe('clarify');
  });

  it('climbs the fallback ladder: redirect, then the main tasks as options, then a person', async () => {
    const say = conversation();
    const first = await say('blorp');
    expect(first.intent).toBe(OUT_OF_SCOPE);
    expect(text(first)).toMatch(/outside what I know/);

    const second = await say('zzzt');
    expect(second.replies.at(-1)!.quickReplies?.length).toBeGreaterThan(1);

    const third = await say('qwfp');
    expect(third.status).toBe('handoff');
    expect(third.escalationReason).toMatch(/not understood/);
  });

  it('starts a task picked from the options the ladder offered', async () => {
    const say = conversation();
    await say('blorp');
    const offered = await say('zzzt');
    const option = offered.replies.at(-1)!.quickReplies!.find((o) => o === 'order status')!;
    expect(option).toBeDefined();
    const picked = await say(option);
    expect(picked.intent).toBe('order_status');
  });

  it('answers a question no intent covers from the knowledge base, naming the source', async () => {
    const reply = await conversation()('How long does a refund take to reach my card?');
    expect(reply.intent).toBe('knowledge.answer');
    expect(text(reply)).toMatch(/5 to 10 business days[\s\S]*Source: Refunds/);
    expect(reply.summary).toBe('Refunds: answered from the knowledge base');
  });

  it('gives the essentials of a long section, and the rest only when asked', async () => {
    const say = conversation();
    const first = await say('Which countries do you ship to?');
    expect(text(first)).toMatch(/Canada[\s\S]*Would you like more detail\?/);
    expect(text(first)).not.toMatch(/Import duties/);

    const more = await say('More detail');
    expect(more.intent).toBe('knowledge.detail');
    expect(text(more)).toMatch(/Import duties/);

    // Asked once: "more" later is a new message, not a request for the same detail again.
    const again = await say('more');
    expect(again.intent).not.toBe('knowledge.detail');
  });

  it('forgets the offered detail when the customer moves on', async () => {
    script['check on a parcel'] = [['order_status', 0.8]];
    const say = conversation();
    await say('Which countries do you ship to?');
    const moved = await say('check on a parcel');
    expect(moved.intent).toBe('order_status');
    const yes = await say('yes');
    expect(yes.intent).not.toBe('knowledge.detail');
  });

  it('hands over at once when the customer asks for a person', async () => {
    script['a human please'] = [['talk_to_human', 0.9]];
    const reply = await conversation()('a human please');
    expect(reply.status).toBe('handoff');
    expect(reply.escalationReason).toBe('customer asked for a person');
  });

  it('refuses advice whatever the classifier says', async () => {
    script['Should I sue the courier for losing my parcel?'] = [['order_status', 0.9]];
    const reply = await conversation()('Should I sue the courier for losing my parcel?');
    expect(reply.intent).toBe('policy.refuse_legal');
  });
});
