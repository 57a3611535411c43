import { parseChain } from '@parley/llm';

import { compareArms, MIN_CONVERSATIONS_PER_ARM, type ArmCounts } from './compare';
import { newExperimentSchema } from './experiment.schema';
import { chainWithModel } from './overrides';

const problems = (input: unknown) => {
  const parsed = newExperimentSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('newExperimentSchema', () => {
  const control = { name: 'control', weight: 1 };
  const bigger = { name: 'bigger', weight: 1, overrides: { model: 'openai:gpt-4o' } };

  it('accepts a control and arms that each override something', () => {
    expect(problems({ key: 'model-test', arms: [control, bigger] })).toEqual([]);
    expect(
      problems({
        key: 'persona',
        arms: [
          control,
          {
            name: 'warm',
            weight: 3,
            overrides: { persona: { tone: 'Warm.' }, prompt: 'Be brief.' },
          },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    ['one arm', { key: 'k', arms: [control] }, 'arms'],
    [
      'six arms',
      { key: 'k', arms: [control, ...'abcde'.split('').map((n) => ({ ...bigger, name: n }))] },
      'arms',
    ],
    ['a name twice', { key: 'k', arms: [control, { ...bigger, name: 'control' }] }, 'arms.1.name'],
    ['a weight of zero', { key: 'k', arms: [control, { ...bigger, weight: 0 }] }, 'arms.1.weight'],
    [
      'a fractional weight',
      { key: 'k', arms: [control, { ...bigger, weight: 1.5 }] },
      'arms.1.weight',
    ],
    [
      'an arm that changes nothing',
      { key: 'k', arms: [control, { name: 'same', weight: 1 }] },
      'arms.1.overrides',
    ],
    [
      'a model without vendor',
      { key: 'k', arms: [control, { ...bigger, overrides: { model: 'gpt-4o' } }] },
      'arms.1.overrides.model',
    ],
    [
      'a chain for a model',
      { key: 'k', arms: [control, { ...bigger, overrides: { model: 'openai:a -> builtin' } }] },
      'arms.1.overrides.model',
    ],
    [
      'an unknown override',
      { key: 'k', arms: [control, { ...bigger, overrides: { temperature: 1 } }] },
      'arms.1.overrides',
    ],
    [
      'an empty persona',
      { key: 'k', arms: [control, { ...bigger, overrides: { persona: {} } }] },
      'arms.1.overrides.persona',
    ],
    ['a key with spaces', { key: 'my test', arms: [control, bigger] }, 'key'],
  ])('refuses %s', (_what, input, path) => {
    expect(problems(input).some((p) => p.startsWith(`${path}:`))).toBe(true);
  });
});

describe(chainWithModel.name, () => {
  it('replaces the primary model and keeps the rest as fallback', () => {
    const chain = parseChain('openai:gpt-4o-mini -> anthropic:claude-haiku-4-5 -> builtin');
    expect(chainWithModel(chain, 'openai:gpt-4o')).toEqual(
      parseChain('openai:gpt-4o -> anthropic:claude-haiku-4-5 -> builtin'),
    );
    expect(chainWithModel(chain, 'anthropic:claude-haiku-4-5')).toEqual(
      parseChain('anthropic:claude-haiku-4-5 -> builtin'),
    );
    expect(chainWithModel(parseChain('builtin'), 'openai:gpt-4o')).toEqual(
      parseChain('openai:gpt-4o -> builtin'),
    );
  });
});

describe(compareArms.name, () => {
  const arm = (name: string, conversations: number, contained: number): ArmCounts => ({
    arm: name,
    customers: conversations,
    conversations,
    contained,
    escalated: conversations - contained,
    csat: { n: 0, mean: 0, variance: 0 },
    averageTurns: null,
    costPerConversationUsd: null,
    latencyP50Ms: null,
  });

  it('says "not enough data" below the minimum sample, whatever the p-value', () => {
    const small = MIN_CONVERSATIONS_PER_ARM - 1;
    const [result] = compareArms([arm('a', small, 0), arm('b', small, small)]).comparisons;
    expect(result!.containment.pValue).toBeLessThan(0.001);
    expect(result!.containment.verdict).toBe('not enough data');
    expect(result!.csat.verdict).toBe('not enough data');
  });

  it('tells significant from not significant with enough data', () => {
    const [clear] = compareArms([arm('a', 1000, 500), arm('b', 1000, 550)]).comparisons;
    expect(clear!.containment.verdict).toBe('significant at 95%');
    const [close] = compareArms([arm('a', 1000, 500), arm('b', 1000, 510)]).comparisons;
    expect(close!.containment.verdict).toBe('not significant at 95%');
  });
});
