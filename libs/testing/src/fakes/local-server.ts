import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake's HTTP server on a free loopback port. */
export interface LocalServer {
  readonly server: http.Server;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Ends every connection (keep-alive ones too) and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server of a fake platform: each request is handed over once its whole body has
 * arrived. `attach` adds to the server before it listens (a WebSocket endpoint, say).
 */
export async function startLocalServer(
  handle: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void,
  attach?: (server: http.Server) => void,
): Promise<LocalServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks), response));
  });
  attach?.(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
