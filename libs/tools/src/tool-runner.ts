import { toolArgsSchema, type Tool } from '@parley/assistant';
import type { PiiVaultRepository, ToolCallRepository } from '@parley/db';
import {
  DEFAULT_PHONE_REGIONS,
  redactPiiDeep,
  vaultContext,
  type VaultOpener,
} from '@parley/guard';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

import type { CodeToolImplementation } from './code-tools';
import { ConnectorPolicy, type BreakerSettings } from './connector-policy';
import { callHttpTool, httpToolUrl, type ToolSettings } from './http-tool';
import {
  FORBIDDEN,
  IDENTITY_REQUIRED,
  ToolOutcome,
  type ToolCallContext,
  type ToolExecutor,
  type ToolResult,
} from './tool-result';

/** How a PII slot travels to a tool: where the original is sealed, not the original. */
export const vaultReference = (messageId: string, placeholder: string) =>
  `vault://${messageId}/${placeholder}`;
const VAULT_REFERENCE = /^vault:\/\/([0-9a-f-]{36})\/(\[[A-Z]+_\d+\])$/;

export interface ToolRunnerOptions {
  tools: Record<string, Tool>;
  settings: ToolSettings;
  code: Record<string, CodeToolImplementation>;
  ledger: ToolCallRepository;
  /** Without both, tools asked for a PII original fail (politely, via the flow's failure reply). */
  vault?: { repository: PiiVaultRepository; opener: VaultOpener };
  phoneRegion?: CountryCode;
  /** Name written to the audit log when an original is read. */
  actor: string;
  /** Per connector (an HTTP tool's origin, a code tool); default: 5 failures in a row, 30 s. */
  breaker?: BreakerSettings;
}

/**
 * Runs an assistant's tools: validates arguments against the tool's declaration, opens vault
 * references for the call only, records each call once under an idempotency key, and turns every
 * error and timeout into a `failure` result instead of an exception. Personal data in a result is
 * partly masked before anyone sees it.
 */
export class ToolRunner implements ToolExecutor {
  private readonly phoneRegions: CountryCode[];
  private readonly connectors: ConnectorPolicy;

  constructor(private readonly options: ToolRunnerOptions) {
    this.phoneRegions = [
      ...new Set([...(options.phoneRegion ? [options.phoneRegion] : []), ...DEFAULT_PHONE_REGIONS]),
    ];
    this.connectors = new ConnectorPolicy(options.breaker);
  }

  /** Whether the assistant declares a tool of this name. */
  has(name: string): boolean {
    return Object.hasOwn(this.options.tools, name);
  }

  async run(
    name: string,
    args: Record<string, unknown>,
    context: ToolCallContext & { messageId: string },
  ): Promise<ToolResult> {
    const started = performance.now();
    const tool = this.options.tools[name];
    if (!tool) return this.failed(started, `unknown tool ${name}`);
    const idempotencyKey = `${context.messageId}:${name}`;
    const earlier = await this.options.ledger.begin({
      assistantId: context.assistantId,
      conversationId: context.conversationId,
      messageId: context.messageId,
      tool: name,
      arguments: args,
      idempotencyKey,
    });
    if (earlier?.result) return { ...earlier.result, durationMs: 0 };

    const refusal = await this.authorise(tool, context);
    if (refusal) {
      const result: ToolResult = {
        outcome: refusal.outcome,
        fields: {},
        error: refusal.reason,
        durationMs: performance.now() - started,
      };
      await this.options.ledger.finish(idempotencyKey, result, result.durationMs, {
        actor: this.options.actor,
        customerId: context.customerId,
        refused: refusal.reason,
      });
      return result;
    }

    let result: ToolResult;
    try {
      const opened = await this.openArgs(tool, args, context);
      const parsed = toolArgsSchema(tool).safeParse(opened);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new Error(`invalid arguments: ${problems.join('; ')}`);
      }
      const call = { ...context, idempotencyKey };
      const connector =
        tool.type === 'http'
          ? httpToolUrl(tool, parsed.data, call, this.options.settings).origin
          : `code:${name}`;
      const outcome = await this.connectors.call(connector, tool, (signal) =>
        tool.type === 'http'
          ? callHttpTool(tool, parsed.data, call, this.options.settings, signal)
          : this.callCode(name, parsed.data, call),
      );
      result = { ...outcome, durationMs: performance.now() - started };
    } catch (error) {
      result =
        error instanceof ToolOutcome
          ? {
              outcome: error.outcome,
              fields: error.fields,
              durationMs: performance.now() - started,
            }
          : this.failed(started, describe(error));
    }
    // Output guard at the source: a business API's personal data (an address on file, another
    // contact) reaches the engine, the model, the ledger and the reply only partly masked.
    result = {
      ...result,
      fields: redactPiiDeep(result.fields, { phoneRegions: this.phoneRegions }),
    };
    const { durationMs, ...stored } = result;
    // The business's API refusing (403) is an authorisation decision too, audited as one.
    await this.options.ledger.finish(idempotencyKey, stored, durationMs, {
      actor: this.options.actor,
      customerId: context.customerId,
      ...(result.outcome === FORBIDDEN ? { refused: 'the API refused this customer' } : {}),
    });
    return result;
  }

  /**
   * A call acts for the conversation's own customer, never for an id the caller made up, and a
   * tool with `access: customer` needs that customer verified by their channel. Decided from the
   * database, not from the job, so a forged or stale job cannot widen what a customer may do.
   */
  private async authorise(
    tool: Tool,
    context: ToolCallContext,
  ): Promise<{ outcome: string; reason: string } | null> {
    const acting = await this.options.ledger.actingCustomer(
      context.assistantId,
      context.conversationId,
    );
    if (!acting || acting.customerId !== context.customerId)
      return { outcome: FORBIDDEN, reason: "not the conversation's customer" };
    if (tool.access === 'customer' && !acting.verified)
      return { outcome: IDENTITY_REQUIRED, reason: 'the customer is not verified' };
    return null;
  }

  private async callCode(
    name: string,
    args: Record<string, unknown>,
    context: ToolCallContext & { idempotencyKey: string },
  ): Promise<{ outcome: string; fields: Record<string, unknown> }> {
    const implementation = this.options.code[name];
    if (!implementation) throw new Error(`no code registered for tool ${name}`);
    const fields = await implementation(args, context, this.options.settings);
    const outcome = typeof fields.outcome === 'string' ? fields.outcome : 'success';
    return { outcome, fields };
  }

  /** Replaces vault references with originals, for this call only; each read is audited. */
  private async openArgs(
    tool: Tool,
    args: Record<string, unknown>,
    context: ToolCallContext,
  ): Promise<Record<string, unknown>> {
    const opened: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(args)) {
      const reference = typeof value === 'string' ? VAULT_REFERENCE.exec(value) : null;
      if (!reference) {
        opened[name] = value;
        continue;
      }
      const vault = this.options.vault;
      if (!vault) throw new Error('the PII vault is not configured (PARLEY_VAULT_PRIVATE_KEY)');
      const [, messageId = '', placeholder = ''] = reference;
      const entry = await vault.repository.read(context.assistantId, messageId, placeholder, {
        actor: this.options.actor,
        purpose: `tool ${Object.keys(args).join(',')}`,
      });
      if (!entry) throw new Error(`no vault entry for ${placeholder}`);
      const original = vault.opener.open(
        entry.sealed,
        vaultContext(context.assistantId, messageId, placeholder),
      );
      opened[name] =
        tool.args[name]?.type === 'phone'
          ? (parsePhoneNumberFromString(original, this.options.phoneRegion ?? 'US')?.number ??
            original)
          : original;
    }
    return opened;
  }

  private failed(started: number, error: string): ToolResult {
    return { outcome: 'failure', fields: {}, error, durationMs: performance.now() - started };
  }
}

function describe(error: unknown): string {
  // fetch's timeout is a DOMException, not always an Error of this realm.
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}
