import { IntentClassifier, OUT_OF_SCOPE, trainClassifier, type Example } from './classifier';
import { NluError, NluErrorCode } from './errors';

/** A small support assistant: five intents, ten utterances each. */
const ASSISTANT: Record<string, string[]> = {
  check_balance: [
    'what is my balance',
    'how much money do i have',
    'show me my account balance',
    'how much is left in my checking account',
    'tell me my current balance',
    'what is the balance on my savings',
    'how much cash is in my account',
    'check my balance please',
    'balance of my bank account',
    'do i have enough money in my account',
  ],
  lost_card: [
    'i lost my card',
    'my credit card was stolen',
    'i cannot find my debit card',
    'someone stole my wallet with my card',
    'block my card it is missing',
    'report a lost card',
    'my card is gone',
    'i think i left my card at the restaurant and lost it',
    'freeze my stolen card',
    'help my bank card has been lost',
  ],
  opening_hours: [
    'when are you open',
    'what are your opening hours',
    'what time does the branch close',
    'are you open on sunday',
    'what time do you open tomorrow',
    'business hours of the store',
    'until when is the office open today',
    'is the branch open on public holidays',
    'what are the hours on saturday',
    'when do you close tonight',
  ],
  transfer_money: [
    'send money to my brother',
    'transfer 50 dollars to john',
    'move money from savings to checking',
    'i want to wire funds to another account',
    'make a transfer to my landlord',
    'pay 20 euros to anna',
    'transfer money between my accounts',
    'send 100 to my mom',
    'wire transfer to an international account',
    'can you move 300 dollars into savings',
  ],
  cancel_order: [
    'cancel my order',
    'i want to cancel the purchase i made',
    'please stop my order from shipping',
    'i no longer want what i ordered',
    'call off my last order',
    'how do i cancel an order',
    'cancel order number 1234',
    'undo my purchase',
    'i changed my mind cancel the order',
    'stop the delivery of my order and cancel it',
  ],
};

const examples: Example[] = Object.entries(ASSISTANT).flatMap(([intent, texts]) =>
  texts.map((text) => ({ text, intent })),
);

/** Off-topic for a bank: none of these share a sentence with GENERIC_OOS. */
const UNRELATED = [
  'what is the capital of france',
  'tell me a joke about penguins',
  'how tall is mount everest',
  'play some jazz music',
  'recommend a good pizza recipe',
  'who is the best football player',
  'what is the meaning of life',
  'translate hello into german',
];

const GENERIC_OOS: Example[] = [
  'tell me about the weather',
  'who won the football game',
  'what is your favourite movie',
  'who is the president of the united states',
  'how do you say thank you in spanish',
  'what is the population of china',
  'sing me a song',
  'what is two plus two',
  'how old is the universe',
  'tell me something funny',
].map((text) => ({ text, intent: OUT_OF_SCOPE }));

describe(IntentClassifier.name, () => {
  const classifier = trainClassifier(examples);

  it.each([
    ['how much money is in my account right now', 'check_balance'],
    ['my card got stolen yesterday', 'lost_card'],
    ['what time do you open on monday', 'opening_hours'],
    ['please transfer 40 dollars to my sister', 'transfer_money'],
    ["I'd like to cancel my order", 'cancel_order'],
    ['CANCEL MY ORDER!!!', 'cancel_order'],
    ['wat is my ballance', 'check_balance'],
  ])('recognises the paraphrase "%s" as %s', (text, intent) => {
    const result = classifier.classify(text);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThanOrEqual(classifier.threshold);
  });

  it('sends most unrelated messages to oos even without oos examples', () => {
    const rejected = UNRELATED.filter((text) => classifier.classify(text).intent === OUT_OF_SCOPE);
    // Fifty examples cannot always tell "what is the capital…" from "what is my balance".
    expect(rejected.length).toBeGreaterThanOrEqual(5);
  });

  it.each(['', '   ', '?!', '👍'])('sends the empty message %j to oos', (text) => {
    expect(classifier.classify(text).intent).toBe(OUT_OF_SCOPE);
  });

  it('ranks the closest intents first with falling confidences, for clarification', () => {
    const { ranking } = classifier.classify('move money and check my balance');
    expect(ranking).toHaveLength(3);
    expect(
      ranking
        .map((r) => r.intent)
        .slice(0, 2)
        .sort(),
    ).toEqual(['check_balance', 'transfer_money']);
    expect(ranking[0]!.confidence).toBeGreaterThanOrEqual(ranking[1]!.confidence);
    expect(ranking[1]!.confidence).toBeGreaterThanOrEqual(ranking[2]!.confidence);
  });

  it('lists only in-scope intents, in sorted order, never oos', () => {
    const withOos = trainClassifier([...examples, { text: 'sing me a song', intent: 'oos' }]);
    expect(withOos.intents).toEqual(Object.keys(ASSISTANT).sort());
    expect(withOos.classify('sing me a song').ranking.map((r) => r.intent)).not.toContain('oos');
  });

  it('rejects nearly all unrelated messages once given a few generic oos examples', () => {
    const trained = trainClassifier([...examples, ...GENERIC_OOS]);
    const rejected = UNRELATED.filter((text) => trained.classify(text).intent === OUT_OF_SCOPE);
    expect(rejected.length).toBeGreaterThanOrEqual(7);
    expect(trained.classify('my card got stolen yesterday').intent).toBe('lost_card');
    expect(trained.classify("I'd like to cancel my order").intent).toBe('cancel_order');
  });

  it('gives the same model for the same examples', () => {
    const again = trainClassifier(examples);
    expect(again.threshold).toBe(classifier.threshold);
    const text = 'i want to send money to my dad';
    expect(again.classify(text)).toEqual(classifier.classify(text));
  });

  it('uses a given threshold instead of calibrating', () => {
    const strict = trainClassifier(examples, { threshold: 0.999 });
    expect(strict.threshold).toBe(0.999);
    const result = strict.classify('how much money is in my account right now');
    expect(result.intent).toBe(OUT_OF_SCOPE);
    expect(result.ranking[0]!.intent).toBe('check_balance');
    expect(result.confidence).toBeCloseTo(1 - result.ranking[0]!.confidence);
  });

  it('trains a small assistant well under a second', () => {
    const started = Date.now();
    trainClassifier(examples);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses examples without any in-scope intent', () => {
    const attempt = () => trainClassifier([{ text: 'hello', intent: OUT_OF_SCOPE }]);
    expect(attempt).toThrow(NluError);
    expect(attempt).toThrow('no in-scope intent');
    try {
      attempt();
    } catch (error) {
      expect((error as NluError).code).toBe(NluErrorCode.NoIntents);
    }
  });
});
