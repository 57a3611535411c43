import { Redis } from 'ioredis';

import { JobName, QueueName } from '@parley/contracts';
import { eventually, sleep, testEnv, uniquePrefix } from '@parley/testing';

import { JobStatus, LeaseManager, QueueProducer, evictionPolicyWarning, startWorker } from '../src';

describe('queue conventions on a real Redis', () => {
  let redis: Redis;
  let blocking: Redis;

  beforeAll(() => {
    redis = new Redis(testEnv().REDIS_URL);
    blocking = new Redis(testEnv().REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await redis.quit();
    await blocking.quit();
  });

  it('keeps every key of a queue under one Redis Cluster hash tag', async () => {
    const prefix = uniquePrefix('tag');
    const producer = new QueueProducer(redis, prefix);
    await producer.add(
      QueueName.Inbound,
      JobName.InboundMessage,
      { channel: 'web', assistantId: 'a', conversationId: 'c', messageId: 'm', receivedAt: 1 },
      { jobId: 'web.1' },
    );
    const keys = await redis.keys(`*${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`{${prefix}}:`))).toBe(true);
    await producer.close();
  });

  it('ignores a second job with the same id while the first is kept (dedupe)', async () => {
    const prefix = uniquePrefix('dedupe');
    const producer = new QueueProducer(redis, prefix);
    const payload = {
      channel: 'web' as const,
      assistantId: 'a',
      conversationId: 'c',
      messageId: 'm',
      receivedAt: 1,
    };
    await producer.add(QueueName.Inbound, JobName.InboundMessage, payload, { jobId: 'web.same' });
    await producer.add(QueueName.Inbound, JobName.InboundMessage, payload, { jobId: 'web.same' });
    expect(await producer.queue(QueueName.Inbound).getJobCountByTypes('waiting')).toBe(1);
    await producer.close();
  });

  it('refuses to enqueue a payload that breaks its schema, naming the job', async () => {
    const producer = new QueueProducer(redis, uniquePrefix('invalid'));
    await expect(
      producer.add(QueueName.Inbound, JobName.InboundMessage, {
        channel: 'web',
        assistantId: '',
        conversationId: 'c',
        messageId: 'm',
        receivedAt: 1,
      }),
    ).rejects.toThrow(/assistantId/);
    await producer.close();
  });

  it('fails a malformed job without retrying it', async () => {
    const prefix = uniquePrefix('malformed');
    const producer = new QueueProducer(redis, prefix);
    let calls = 0;
    const connection = blocking.duplicate();
    const worker = startWorker({
      queue: QueueName.Inbound,
      connection,
      prefix,
      concurrency: 1,
      handlers: {
        [JobName.InboundMessage]: () => {
          calls += 1;
          return Promise.resolve(JobStatus.Done);
        },
      },
    });
    await producer
      .queue(QueueName.Inbound)
      .add(JobName.InboundMessage, { schemaVersion: 1, channel: 'fax' }, { attempts: 5 });
    const failed = await eventually(async () => {
      const jobs = await producer.queue(QueueName.Inbound).getFailed();
      return jobs.length ? jobs[0] : undefined;
    });
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/invalid inbound\.message payload/);
    expect(calls).toBe(0);
    await worker.close();
    await connection.quit();
    await producer.close();
  });

  it('warns when Redis may evict keys, and is quiet with noeviction', async () => {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    try {
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      expect(await evictionPolicyWarning(redis)).toMatch(/allkeys-lru.*noeviction/);
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      expect(await evictionPolicyWarning(redis)).toBeNull();
    } finally {
      await redis.config('SET', 'maxmemory-policy', policy);
    }
  });
});

describe(LeaseManager.name, () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testEnv().REDIS_URL);
  });
  afterAll(() => redis.quit());

  it('admits one holder at a time', async () => {
    const leases = new LeaseManager(redis, `{${uniquePrefix('lease')}}`, 1_000);
    const first = await leases.tryAcquire('conversation:1');
    expect(first).not.toBeNull();
    expect(await leases.tryAcquire('conversation:1')).toBeNull();
    await first!.release();
    const second = await leases.tryAcquire('conversation:1');
    expect(second).not.toBeNull();
    await second!.release();
  });

  it('keeps a live holder past its TTL through the heartbeat', async () => {
    const leases = new LeaseManager(redis, `{${uniquePrefix('lease')}}`, 300);
    const held = await leases.tryAcquire('conversation:2');
    await sleep(900);
    expect(await leases.tryAcquire('conversation:2')).toBeNull();
    expect(held!.lost).toBe(false);
    await held!.release();
  });

  it('lets another process take over once a silent holder lapses', async () => {
    const prefix = `{${uniquePrefix('lease')}}`;
    // A holder that crashed: the key is there, no heartbeat renews it.
    await redis.set(`${prefix}:lease:conversation:3`, 'dead-process', 'PX', 300);
    const leases = new LeaseManager(redis, prefix, 300);
    expect(await leases.tryAcquire('conversation:3')).toBeNull();
    await sleep(400);
    const taken = await leases.tryAcquire('conversation:3');
    expect(taken).not.toBeNull();
    await taken!.release();
  });

  it('tells the holder, as it lets go, that someone was turned away meanwhile', async () => {
    const leases = new LeaseManager(redis, `{${uniquePrefix('lease')}}`, 1_000);
    const quiet = await leases.tryAcquire('conversation:5');
    expect(await quiet!.release()).toEqual({ knocked: false });

    const held = await leases.tryAcquire('conversation:5');
    expect(await leases.tryAcquire('conversation:5')).toBeNull();
    expect(await held!.release()).toEqual({ knocked: true });
    // The knock was answered: the next holder starts without one.
    const next = await leases.tryAcquire('conversation:5');
    expect(await next!.release()).toEqual({ knocked: false });
  });

  it('keeps a knock while the heartbeat keeps the lease, past the TTL', async () => {
    const leases = new LeaseManager(redis, `{${uniquePrefix('lease')}}`, 300);
    const held = await leases.tryAcquire('conversation:6');
    expect(await leases.tryAcquire('conversation:6')).toBeNull();
    await sleep(900);
    expect(await held!.release()).toEqual({ knocked: true });
  });

  it('never releases a lease someone else holds now', async () => {
    const prefix = `{${uniquePrefix('lease')}}`;
    const leases = new LeaseManager(redis, prefix, 200);
    const stale = await leases.tryAcquire('conversation:4');
    // Simulate a pause longer than the TTL: the key lapses and a second holder takes it.
    await redis.del(`${prefix}:lease:conversation:4`);
    const current = await leases.tryAcquire('conversation:4');
    await stale!.release();
    expect(await redis.get(`${prefix}:lease:conversation:4`)).not.toBeNull();
    await current!.release();
  });
});
