import { createHash, randomUUID } from 'node:crypto';

import type { Redis } from 'ioredis';

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
  ) {}

  async tryAcquire(name: string): Promise<Lease | null> {
    const key = `${this.keyPrefix}:lease:${name}`;
    // Same hash tag as the lease (the prefix's), so both keys live on one Redis Cluster node.
    const knock = `${key}:knock`;
    const token = randomUUID();
    const acquired = await runScript(this.redis, ACQUIRE, [key, knock], [token, this.ttlMs]);
    if (acquired !== 1) return null;

    let lost = false;
    const heartbeat = setInterval(
      () => {
        runScript(this.redis, EXTEND, [key, knock], [token, this.ttlMs])
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
        const released = await runScript(this.redis, RELEASE, [key, knock], [token]);
        return { knocked: released === 2 };
      },
    };
  }
}

const sha1 = (script: string) => createHash('sha1').update(script).digest('hex');
const SHAS = new Map([ACQUIRE, EXTEND, RELEASE].map((script) => [script, sha1(script)]));

/** EVALSHA (the script's hash, not its text, on every call), loading the script when Redis lacks it. */
async function runScript(
  redis: Redis,
  script: string,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(SHAS.get(script)!, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
