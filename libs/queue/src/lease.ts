import { randomUUID } from 'node:crypto';

import type { Redis } from 'ioredis';

// Extend / release only while we still own the key: another holder may have it after expiry.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

/** A held lease; `lost` turns true if a heartbeat finds someone else owns the key. */
export interface Lease {
  readonly key: string;
  readonly lost: boolean;
  release(): Promise<void>;
}

/**
 * Short leases kept alive by a heartbeat: a crashed holder's lease lapses within `ttlMs`, so
 * another process can take over without waiting for a long fixed lock.
 */
export class LeaseManager {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  async tryAcquire(name: string): Promise<Lease | null> {
    const key = `${this.keyPrefix}:lease:${name}`;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;

    let lost = false;
    const heartbeat = setInterval(
      () => {
        this.redis
          .eval(EXTEND, 1, key, token, this.ttlMs)
          .then((extended) => {
            if (extended !== 1) lost = true;
          })
          .catch(() => {
            // Redis unreachable: the lease may lapse; the turn commit is fenced in Postgres anyway.
          });
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    heartbeat.unref();

    return {
      key,
      get lost() {
        return lost;
      },
      release: async () => {
        clearInterval(heartbeat);
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
