import { randomUUID } from 'node:crypto';

import type { Redis, Result } from 'ioredis';

/**
 * Takes the lease, or leaves a knock for its holder. One script, so a holder cannot let go between
 * a failed take and the knock and miss it. A new holder clears an old knock: it reads the work
 * afresh anyway.
 */
const ACQUIRE = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('del', KEYS[2])
  return 1
end
redis.call('set', KEYS[2], '1', 'PX', ARGV[2])
return 0`;
// Extend / release only while we still own the key: another holder may have it after expiry.
// A knock lives as long as the lease it waits on.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[2], ARGV[2])
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;
// 0: not ours any more; 1: released; 2: released, and someone knocked while we held it.
const RELEASE = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('del', KEYS[1])
return 1 + redis.call('del', KEYS[2])`;

// The scripts as commands of the connection: ioredis sends them by EVALSHA, loading on NOSCRIPT.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyLeaseAcquire(
      lease: string,
      knock: string,
      token: string,
      ttlMs: number,
    ): Result<number, Context>;
    parleyLeaseExtend(
      lease: string,
      knock: string,
      token: string,
      ttlMs: number,
    ): Result<number, Context>;
    parleyLeaseRelease(lease: string, knock: string, token: string): Result<number, Context>;
  }
}

/** A held lease; `lost` turns true if a heartbeat finds someone else owns the key. */
export interface Lease {
  readonly key: string;
  readonly lost: boolean;
  /**
   * Lets go. `knocked`: someone tried to take the lease while it was held, and was turned away;
   * what they came for is the holder's to do (see LeaseManager).
   */
  release(): Promise<{ knocked: boolean }>;
}

/**
 * Short leases kept alive by a heartbeat: a crashed holder's lease lapses within `ttlMs`, so
 * another process can take over without waiting for a long fixed lock.
 *
 * A process turned away by a held lease leaves a knock, and the holder learns of it as it lets
 * go: work that arrived while the lease was held is never left with nobody to do it, and the
 * holder need not look for such work unless someone knocked.
 */
export class LeaseManager {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('parleyLeaseAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('parleyLeaseExtend', { numberOfKeys: 2, lua: EXTEND });
    redis.defineCommand('parleyLeaseRelease', { numberOfKeys: 2, lua: RELEASE });
  }

  async tryAcquire(name: string): Promise<Lease | null> {
    const key = `${this.keyPrefix}:lease:${name}`;
    // Same hash tag as the lease (the prefix's), so both keys live on one Redis Cluster node.
    const knock = `${key}:knock`;
    const token = randomUUID();
    const acquired = await this.redis.parleyLeaseAcquire(key, knock, token, this.ttlMs);
    if (acquired !== 1) return null;

    let lost = false;
    const heartbeat = setInterval(
      () => {
        this.redis
          .parleyLeaseExtend(key, knock, token, this.ttlMs)
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
        const released = await this.redis.parleyLeaseRelease(key, knock, token);
        return { knocked: released === 2 };
      },
    };
  }
}
