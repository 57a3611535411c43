import type { ToolSettings } from './http-tool';
import type { ToolCallContext } from './tool-result';

/** A tool written in TypeScript; throw ToolOutcome for a declared outcome, Error for a failure. */
export type CodeToolImplementation = (
  args: Record<string, unknown>,
  context: ToolCallContext & { idempotencyKey: string },
  settings: ToolSettings,
) => Promise<Record<string, unknown>>;

async function postToShop(
  settings: ToolSettings,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<Record<string, unknown>> {
  const base = settings.config.SHOP_API_URL;
  const token = settings.secret.SHOP_API_TOKEN;
  if (!base || !token) throw new Error('SHOP_API_URL and SHOP_API_TOKEN are required');
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} from POST ${path}`);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * The demo shop's code tools. A real installation registers its own under the names its
 * tools.yaml declares with `type: code`.
 */
export const DEMO_CODE_TOOLS: Record<string, CodeToolImplementation> = {
  send_password_reset: async (args, context, settings) => {
    await postToShop(settings, '/password-resets', { email: args.email }, context.idempotencyKey);
    return {};
  },
  schedule_callback: async (args, context, settings) => {
    const result = await postToShop(
      settings,
      '/callbacks',
      { phone: args.phone, time: args.time, customer_id: context.customerId },
      context.idempotencyKey,
    );
    return { callback_id: result.id, outcome: 'success' };
  },
};
