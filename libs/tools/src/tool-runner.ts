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
import { callHttpTool, type ToolSettings } from './http-tool';
import {
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
}

/**
 * Runs an assistant's tools: validates arguments against the tool's declaration, opens vault
 * references for the call only, records each call once under an idempotency key, and turns every
 * error and timeout into a `failure` result instead of an exception. Personal data in a result is
 * partly masked before anyone sees it.
 */
export class ToolRunner implements ToolExecutor {
  private readonly phoneRegions: CountryCode[];

  constructor(private readonly options: ToolRunnerOptions) {
    this.phoneRegions = [
      ...new Set([...(options.phoneRegion ? [options.phoneRegion] : []), ...DEFAULT_PHONE_REGIONS]),
    ];
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

    let result: ToolResult;
    try {
      const opened = await this.openArgs(tool, args, context);
      const parsed = toolArgsSchema(tool).safeParse(opened);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        throw new Error(`invalid arguments: ${problems.join('; ')}`);
      }
      const call = { ...context, idempotencyKey };
      const outcome =
        tool.type === 'http'
          ? await callHttpTool(tool, parsed.data, call, this.options.settings)
          : await this.callCode(name, parsed.data, call);
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
    await this.options.ledger.finish(idempotencyKey, stored, durationMs);
    return result;
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
