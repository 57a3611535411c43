import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Graceful shutdown in phases, after the HTTP server has stopped taking requests:
 * `work` (stop consuming, finish or release in-flight jobs), then `connections`.
 */
export type ShutdownPhase = 'work' | 'connections';

@Injectable()
export class ShutdownCoordinator implements OnApplicationShutdown {
  private readonly closers: Record<ShutdownPhase, (() => Promise<unknown>)[]> = {
    work: [],
    connections: [],
  };
  private stopping = false;

  get isStopping(): boolean {
    return this.stopping;
  }

  register(phase: ShutdownPhase, close: () => Promise<unknown>): void {
    this.closers[phase].push(close);
  }

  /** Called first on a signal, so readiness turns 503 before anything closes. */
  beginStopping(): void {
    this.stopping = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const phase of ['work', 'connections'] as const) {
      await Promise.allSettled(this.closers[phase].map((close) => close()));
    }
  }
}
