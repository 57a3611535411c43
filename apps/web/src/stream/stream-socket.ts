import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';

import type { TranscriptRepository } from '@parley/db';
import { CONFIG, LOGGER, ShutdownCoordinator, type Logger } from '@parley/platform';

import type { WebConfig } from '../config';
import { TRANSCRIPTS } from '../tokens';
import { StreamHub } from './stream-hub';

export const STREAM_PATH = '/api/v1/stream';

/**
 * Live replies over WebSocket: `GET /api/v1/stream?conversationId=…` upgrades, then receives every
 * stream event of that conversation as one JSON text frame, from whichever replica produced it.
 */
@Injectable()
export class StreamSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });

  constructor(
    private readonly hub: StreamHub,
    private readonly shutdown: ShutdownCoordinator,
    @Inject(TRANSCRIPTS) private readonly transcripts: TranscriptRepository,
    @Inject(CONFIG) private readonly config: WebConfig,
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
    const conversationId = url.searchParams.get('conversationId') ?? '';
    if (!z.uuid().safeParse(conversationId).success) return reject(socket, 400, 'Bad Request');
    if (!(await this.transcripts.exists(this.config.PARLEY_ASSISTANT_ID, conversationId)))
      return reject(socket, 404, 'Not Found');

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
