import { ChainSpecError, parseChain } from './fallback';

describe(parseChain.name, () => {
  it('parses vendor:model links separated by -> with builtin last', () => {
    expect(parseChain('openai:gpt-4o -> openai:gpt-4o-mini -> builtin')).toEqual([
      { vendor: 'openai', model: 'gpt-4o' },
      { vendor: 'openai', model: 'gpt-4o-mini' },
      { vendor: 'builtin' },
    ]);
  });

  it('accepts → as a separator, any spacing, and a chain without builtin', () => {
    expect(parseChain('anthropic:claude-sonnet-4-5→openai:gpt-4o-mini')).toEqual([
      { vendor: 'anthropic', model: 'claude-sonnet-4-5' },
      { vendor: 'openai', model: 'gpt-4o-mini' },
    ]);
  });

  it('keeps colons inside the model, as in Ollama tags', () => {
    expect(parseChain('openai:llama3.1:8b -> builtin')).toEqual([
      { vendor: 'openai', model: 'llama3.1:8b' },
      { vendor: 'builtin' },
    ]);
  });

  it.each([
    ['', /chain is empty/],
    ['  ->  ', /chain is empty/],
    ['openai:gpt-4o -> -> builtin', /link 2 .* is empty/],
    ['openai:gpt-4o ->', /link 2 .* is empty/],
    ['mistral:large -> builtin', /unknown vendor "mistral".*expected openai, anthropic or builtin/],
    ['openai -> builtin', /"openai" names no model: write it as e\.g\. openai:gpt-4o-mini/],
    ['anthropic: -> builtin', /"anthropic:" names no model/],
    ['builtin -> openai:gpt-4o', /"builtin" must be the last link/],
    ['openai:gpt-4o -> builtin:v2', /"builtin" takes no model/],
    ['openai:gpt 4o', /contains spaces/],
  ])('rejects %j with a message saying what is wrong', (spec, message) => {
    expect(() => parseChain(spec)).toThrow(ChainSpecError);
    expect(() => parseChain(spec)).toThrow(message);
  });
});
