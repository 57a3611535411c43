import WebSocket from 'ws';

import { StreamEventSchema, type StreamEvent } from '@parley/contracts';

export interface StreamClient {
  /** Every event received so far, in order of arrival. */
  readonly events: StreamEvent[];
  /** Resolves with the first event (already received or still to come) that matches. */
  until(match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

/**
 * A customer's live connection to a conversation, as a widget opens it: `GET /api/v1/stream`.
 * A visitor's or verified customer's conversation needs their credential: pass `signedIn(id)` or
 * the `{ visitorToken }` of POST /api/v1/visitors (other fields are ignored).
 */
export async function openStream(
  webUrl: string,
  conversationId: string,
  credentials: { userHash?: string; visitorToken?: string } = {},
): Promise<StreamClient> {
  const query = new URLSearchParams({ conversationId });
  if (credentials.userHash) query.set('userHash', credentials.userHash);
  if (credentials.visitorToken) query.set('visitorToken', credentials.visitorToken);
  const socket = new WebSocket(
    `${webUrl.replace(/^http/, 'ws')}/api/v1/stream?${query.toString()}`,
  );
  const events: StreamEvent[] = [];
  const watchers = new Set<() => void>();
  socket.on('message', (data: WebSocket.RawData) => {
    events.push(StreamEventSchema.parse(JSON.parse((data as Buffer).toString('utf8'))));
    for (const watcher of [...watchers]) watcher();
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    events,
    until: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no matching stream event within ${timeoutMs} ms`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    close: () => socket.close(),
  };
}
