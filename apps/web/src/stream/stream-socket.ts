import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';

import {
  ErrorCode,
  LOGGER,
  ParleyError,
  ShutdownCoordinator,
  toErrorResponse,
  type Logger,
} from '@parley/platform';

import { WebIdentity } from '../identity/web-identity';
import { OriginPolicy } from '../widget/origin-policy';
import { StreamHub } from './stream-hub';

export const STREAM_PATH = '/api/v1/stream';

/**
 * Live replies over WebSocket: `GET /api/v1/stream?conversationId=…` upgrades, then receives every
 * stream event of that conversation as one JSON text frame, from whichever replica produced it.
 * A visitor's or verified customer's conversation also needs `&visitorToken=…` or `&userHash=…`
 * (browsers cannot send headers with a WebSocket). The subscription is in place before the
 * handshake completes, so whatever is published after the client sees `open` reaches it.
 */
@Injectable()
export class StreamSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });

  constructor(
    private readonly hub: StreamHub,
    private readonly shutdown: ShutdownCoordinator,
    private readonly identity: WebIdentity,
    private readonly origins: OriginPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(request, socket, head).catch((error: unknown) => {
        this.logger.error({ err: error }, 'websocket upgrade failed');
        reject(socket, 500, 'Internal Server Error');
      });
    });
    this.shutdown.register('work', async () => {
      for (const client of this.wss.clients) client.close(1001, 'server shutting down');
      await new Promise((resolve) => this.wss.close(resolve));
    });
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) return reject(socket, 404, 'Not Found');
    if (!this.origins.allows(request.headers.origin, request.headers)) {
      return refuse(
        socket,
        new ParleyError(
          ErrorCode.OriginNotAllowed,
          'Pages from this origin may not open the stream: add it to WEB_WIDGET_ORIGINS.',
        ),
      );
    }
    const conversationId = url.searchParams.get('conversationId') ?? '';
    if (!z.uuid().safeParse(conversationId).success) return reject(socket, 400, 'Bad Request');
    try {
      await this.identity.requireReader(conversationId, {
        userHash: url.searchParams.get('userHash') ?? undefined,
        visitorToken: url.searchParams.get('visitorToken') ?? undefined,
      });
    } catch (error) {
      if (error instanceof ParleyError) return refuse(socket, error);
      throw error;
    }

    this.wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const detach = this.hub.attach(conversationId, {
        send: (event) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
        },
      });
      ws.on('close', detach);
      ws.on('error', detach);
    });
  }
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Answers the upgrade request like the HTTP API would: status and `{ error: { code, message } }`. */
function refuse(socket: Duplex, error: ParleyError): void {
  const { status, body } = toErrorResponse(error);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};
