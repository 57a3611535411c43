import type { ExperimentRepository } from '@parley/db';
import type { Engine, EngineReply, TurnInput } from '@parley/engine';
import { armFor, overridesSomething, parseArms, type Arm } from '@parley/experiments';
import type { Logger } from '@parley/platform';

/** The running experiment as the turn path needs it. */
export interface ActiveExperiment {
  id: string;
  arms: Arm[];
}

/**
 * The running experiment per assistant, read at most once per `refreshMs` per process: a start
 * or stop reaches the turns within that long, and a turn costs no query for it.
 */
export class RunningExperiments {
  private readonly cache = new Map<
    string,
    { at: number; value: Promise<ActiveExperiment | null> }
  >();

  constructor(
    private readonly repository: Pick<ExperimentRepository, 'running'>,
    private readonly refreshMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get(assistantId: string): Promise<ActiveExperiment | null> {
    const cached = this.cache.get(assistantId);
    if (cached && this.now() - cached.at < this.refreshMs) return cached.value;
    const value = this.load(assistantId);
    this.cache.set(assistantId, { at: this.now(), value });
    // A failed read is not kept: the next turn asks again.
    value.catch(() => this.cache.delete(assistantId));
    return value;
  }

  private async load(assistantId: string): Promise<ActiveExperiment | null> {
    const running = await this.repository.running(assistantId);
    if (!running) return null;
    try {
      return { id: running.id, arms: parseArms(running.arms) };
    } catch (error) {
      // Arms are validated when created; a row edited by hand into nonsense runs nothing.
      this.logger.error({ experimentId: running.id, err: error }, 'experiment arms unreadable');
      return null;
    }
  }
}

/** Conversation → arm answers kept per process; a conversation's arm never changes once set. */
const REMEMBERED_CONVERSATIONS = 10_000;

/**
 * Serves each customer's turns with their arm of the assistant's running experiment: the same
 * customer gets the same arm on every replica and channel (a hash of experiment and customer,
 * recorded at first use), and a conversation keeps the arm it began with. Conversations begun
 * before the experiment started, and every turn while none runs, get the engine as configured.
 */
export class ExperimentEngine implements Engine {
  private readonly arms = new Map<string, Engine>();
  private readonly conversations = new Map<string, string | null>();
  private armsOf = '';

  constructor(
    private readonly base: Engine,
    /** An engine with the arm's overrides applied; called once per arm of a running experiment. */
    private readonly build: (experimentId: string, arm: Arm) => Engine,
    private readonly running: RunningExperiments,
    private readonly repository: Pick<ExperimentRepository, 'assign'>,
  ) {}

  get name(): string {
    return this.base.name;
  }

  async respond(input: TurnInput): Promise<EngineReply> {
    const engine = await this.engineFor(input);
    return engine.respond(input);
  }

  private async engineFor(input: TurnInput): Promise<Engine> {
    const customerId = input.context?.customerId;
    if (!customerId) return this.base;
    const experiment = await this.running.get(input.assistantId);
    if (!experiment) return this.base;
    const name = await this.armName(experiment, input, customerId);
    const arm = name === null ? undefined : experiment.arms.find((a) => a.name === name);
    if (!arm || !overridesSomething(arm.overrides)) return this.base;
    if (this.armsOf !== experiment.id) {
      // Engines of a stopped experiment are dropped; its conversations get the configured one.
      this.arms.clear();
      this.armsOf = experiment.id;
    }
    let engine = this.arms.get(arm.name);
    if (!engine) {
      engine = this.build(experiment.id, arm);
      this.arms.set(arm.name, engine);
    }
    return engine;
  }

  private async armName(
    experiment: ActiveExperiment,
    input: TurnInput,
    customerId: string,
  ): Promise<string | null> {
    const key = `${experiment.id}:${input.conversationId}`;
    if (this.conversations.has(key)) return this.conversations.get(key) ?? null;
    const arm = await this.repository.assign({
      assistantId: input.assistantId,
      experimentId: experiment.id,
      conversationId: input.conversationId,
      customerId,
      arm: armFor(experiment.id, customerId, experiment.arms).name,
    });
    if (this.conversations.size >= REMEMBERED_CONVERSATIONS) {
      // Oldest first (a Map keeps insertion order); forgetting only costs one query.
      this.conversations.delete(this.conversations.keys().next().value!);
    }
    this.conversations.set(key, arm);
    return arm;
  }
}
