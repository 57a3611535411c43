/**
 * CPU time per message, per process, read from /proc: on two shared cores, throughput and
 * latency swing with whatever else the machine does, but the CPU a message costs each process
 * barely moves, so it is what tells two versions of the code apart.
 *
 * Postgres serves each connection from its own backend process; backends that exit during a run
 * are counted through the postmaster's reaped-children time (cutime/cstime), so a snapshot sums
 * every live postgres process plus the postmaster's reaped time, and the difference of two
 * snapshots is exact whatever backends came and went between them.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** CPU time in milliseconds by name: the given processes, `postgres`, `redis` and `bench`. */
export type CpuSnapshot = Record<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

interface Stat {
  comm: string;
  ppid: number;
  /** utime + stime, in ticks. */
  own: number;
  /** cutime + cstime of reaped children, in ticks. */
  reaped: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited between the directory listing and the read
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    own: Number(fields[11]) + Number(fields[12]),
    reaped: Number(fields[13]) + Number(fields[14]),
  };
}

function allStats(): Map<number, Stat> {
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  return stats;
}

/** CPU time (user + system) one live process has spent, in milliseconds; null once it exited. */
export function processCpuMs(pid: number): number | null {
  const stat = readStat(pid);
  return stat ? stat.own * TICK_MS : null;
}

/** A snapshot of the named processes, the local Postgres and Redis, and this process. */
export function snapshotCpu(processes: Record<string, number | undefined>): CpuSnapshot {
  const stats = allStats();
  const snapshot: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(processes)) {
    const stat = pid === undefined ? undefined : stats.get(pid);
    if (stat) snapshot[name] = (stat.own + stat.reaped) * TICK_MS;
  }
  let postgres = 0;
  let redis = 0;
  for (const stat of stats.values()) {
    if (stat.comm === 'postgres') {
      const postmaster = stats.get(stat.ppid)?.comm !== 'postgres';
      postgres += stat.own + (postmaster ? stat.reaped : 0);
    } else if (stat.comm === 'redis-server') {
      redis += stat.own;
    }
  }
  if (postgres) snapshot.postgres = postgres * TICK_MS;
  if (redis) snapshot.redis = redis * TICK_MS;
  const own = process.cpuUsage();
  snapshot.bench = (own.user + own.system) / 1000;
  return snapshot;
}

/** CPU milliseconds per message between two snapshots, by name, and the total of all but the bench's own. */
export function cpuPerMessage(
  before: CpuSnapshot,
  after: CpuSnapshot,
  messages: number,
): Record<string, number> {
  const perMessage: Record<string, number> = {};
  let total = 0;
  for (const [name, ms] of Object.entries(after)) {
    if (before[name] === undefined || messages === 0) continue;
    perMessage[name] = (ms - before[name]) / messages;
    if (name !== 'bench') total += perMessage[name];
  }
  return { ...perMessage, total };
}
