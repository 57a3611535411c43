import type { ChatRequest, ChatResult, LlmProvider } from './types';

export interface ProviderFailure {
  provider: string;
  error: unknown;
}

/** Every provider of a chain failed; the orchestrator answers with the built-in engine then. */
export class AllProvidersFailedError extends Error {
  constructor(readonly failures: ProviderFailure[]) {
    super(
      `every LLM provider failed: ${failures
        .map(
          ({ provider, error }) =>
            `${provider}: ${error instanceof Error ? error.message : String(error)}`,
        )
        .join('; ')}`,
    );
    this.name = 'AllProvidersFailedError';
  }
}

/**
 * Tries providers in order, moving on when one throws (after its own retries, when it is a
 * ResilientProvider). Two failures are passed on as they are instead: a call the caller cancelled,
 * and a stream whose text the customer has already partly seen.
 */
export class FallbackChain implements LlmProvider {
  readonly id: string;

  constructor(private readonly providers: readonly LlmProvider[]) {
    if (providers.length === 0) throw new Error('a fallback chain needs at least one provider');
    this.id = providers.map((provider) => provider.id).join(' -> ');
  }

  complete(request: ChatRequest): Promise<ChatResult> {
    return this.run(
      request,
      (provider) => provider.complete(request),
      () => false,
    );
  }

  stream(request: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult> {
    let emitted = false;
    const forward = (text: string) => {
      emitted = true;
      onDelta(text);
    };
    return this.run(
      request,
      (provider) => provider.stream(request, forward),
      () => emitted,
    );
  }

  private async run(
    request: ChatRequest,
    call: (provider: LlmProvider) => Promise<ChatResult>,
    outputStarted: () => boolean,
  ): Promise<ChatResult> {
    const failures: ProviderFailure[] = [];
    for (const provider of this.providers) {
      try {
        return await call(provider);
      } catch (error) {
        if (request.signal?.aborted || outputStarted()) throw error;
        failures.push({ provider: provider.id, error });
      }
    }
    throw new AllProvidersFailedError(failures);
  }
}

export type ChainVendor = 'openai' | 'anthropic';

/** One link of a configured chain; `builtin` is Parley's own engine, always last. */
export type ChainLink = { vendor: ChainVendor; model: string } | { vendor: 'builtin' };

export class ChainSpecError extends Error {
  override readonly name = 'ChainSpecError';
}

const EXAMPLE_MODEL: Record<ChainVendor, string> = {
  openai: 'openai:gpt-4o-mini',
  anthropic: 'anthropic:claude-haiku-4-5',
};

const isVendor = (vendor: string): vendor is ChainVendor => Object.hasOwn(EXAMPLE_MODEL, vendor);

/**
 * Parses `"openai:gpt-4o -> anthropic:claude-sonnet-4-5 -> builtin"` (`→` works too). The model is
 * everything after the first colon, so Ollama tags like `openai:llama3.1:8b` keep theirs.
 */
export function parseChain(spec: string): ChainLink[] {
  const parts = spec.split(/->|→/).map((part) => part.trim());
  if (parts.every((part) => part === '')) {
    throw new ChainSpecError(
      'the LLM chain is empty: name at least one link, e.g. "openai:gpt-4o-mini -> builtin"',
    );
  }
  return parts.map((part, index): ChainLink => {
    if (!part) throw new ChainSpecError(`link ${index + 1} of "${spec}" is empty`);
    const colon = part.indexOf(':');
    const vendor = (colon === -1 ? part : part.slice(0, colon)).trim().toLowerCase();
    const model = colon === -1 ? '' : part.slice(colon + 1).trim();
    if (vendor === 'builtin') {
      if (colon !== -1) throw new ChainSpecError(`"builtin" takes no model, got "${part}"`);
      if (index !== parts.length - 1) {
        throw new ChainSpecError(
          `"builtin" must be the last link of "${spec}": it always answers, so nothing after it runs`,
        );
      }
      return { vendor: 'builtin' };
    }
    if (!isVendor(vendor)) {
      throw new ChainSpecError(
        `unknown vendor "${vendor}" in "${part}": expected openai, anthropic or builtin`,
      );
    }
    if (!model) {
      throw new ChainSpecError(
        `"${part}" names no model: write it as e.g. ${EXAMPLE_MODEL[vendor]}`,
      );
    }
    if (/\s/.test(model)) throw new ChainSpecError(`model "${model}" in "${part}" contains spaces`);
    return { vendor, model };
  });
}
