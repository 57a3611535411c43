import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { QueueName } from '@parley/contracts';
import { ErrorCode, ParleyError, toErrorResponse, type Logger } from '@parley/platform';
import type { QueueProducer } from '@parley/queue';

import type { Sessions } from '../auth/sessions';

export const QUEUE_BOARD_PATH = '/console/admin/queues';

export interface QueueBoardOptions {
  producer: QueueProducer;
  sessions: Sessions;
  /** The deployment's own assistant: queues carry every assistant's jobs, so only its admins. */
  operatorAssistantId: string;
  logger: Logger;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Board actions refused: adding or editing a job skips the contracts' validation (a forged
 * message), emptying or obliterating a queue drops accepted messages.
 */
const REFUSED_ACTION = /\/api\/queues\/[^/]+\/(?:add|empty|obliterate|[^/]+\/update-data)$/;

/**
 * bull-board on the console, for the deployment's admins: every Parley queue with its waiting,
 * active, delayed and failed jobs, and the retry, pause and clean actions.
 *
 * Queues are shared by all assistants, so the board is open only to admins of the assistant the
 * console runs for (PARLEY_ASSISTANT_ID); an admin of another assistant gets 403. Retrying is
 * safe by construction: a retried delivery is claimed before it is sent, and a retried inbound
 * message is deduplicated by its provider id.
 */
export async function mountQueueBoard(
  fastify: FastifyInstance,
  options: QueueBoardOptions,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map(
      (name) => new BullMQAdapter(options.producer.queue(name), { allowRetries: true }),
    ),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Parley queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Console', url: '/console' }],
      },
    },
  });

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      try {
        await admitAdmin(request, reply, options);
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        return reply.status(status).header('cache-control', 'no-store').send(body);
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

/**
 * A live console session of an operator admin; changes only from the board's own pages (the
 * cookie is SameSite=Strict already; the Fetch metadata check is the second lock, as the board's
 * own requests carry no CSRF token).
 */
async function admitAdmin(
  request: FastifyRequest,
  reply: FastifyReply,
  options: QueueBoardOptions,
): Promise<void> {
  const session = await options.sessions.resolve(request.headers.cookie);
  if (!session) throw new ParleyError(ErrorCode.Unauthorized, 'Sign in to the console first.');
  const { agent } = session;
  if (agent.role !== 'admin' || agent.assistantId !== options.operatorAssistantId) {
    throw new ParleyError(
      ErrorCode.Forbidden,
      "Only the deployment's admins may see the queues: they hold every assistant's jobs.",
    );
  }
  if (!SAFE_METHODS.has(request.method)) {
    if (request.headers['sec-fetch-site'] !== 'same-origin') {
      throw new ParleyError(ErrorCode.CsrfTokenInvalid, 'Change queues from the board itself.');
    }
    if (REFUSED_ACTION.test(request.url.split('?')[0]!)) {
      throw new ParleyError(
        ErrorCode.Forbidden,
        'Parley does not add, edit, empty or obliterate jobs from the board: messages would be lost or forged.',
      );
    }
    options.logger.info(
      { agentId: agent.id, method: request.method, url: request.url },
      'queue board action',
    );
  }
  void reply.header('cache-control', 'no-store');
}
