import { UnrecoverableError } from 'bullmq';

import { JobName, QueueName, SCHEMA_VERSION } from '@parley/contracts';

import {
  JobStatus,
  UnsupportedSchemaVersionError,
  assertHandlersCover,
  parsePayload,
} from './worker';

describe(assertHandlersCover.name, () => {
  it('refuses a worker with no handler for a job of its queue', () => {
    expect(() => assertHandlersCover(QueueName.Inbound, {})).toThrow(
      /no handler for inbound\.message/,
    );
  });

  it('refuses handlers for jobs that do not travel on the queue', () => {
    expect(() =>
      assertHandlersCover(QueueName.Inbound, {
        [JobName.InboundMessage]: () => Promise.resolve(JobStatus.Done),
        [JobName.Sweep]: () => Promise.resolve(JobStatus.Done),
      }),
    ).toThrow(/handlers for jobs not on this queue: maintenance\.sweep/);
  });

  it('accepts exactly the jobs of the queue', () => {
    expect(() =>
      assertHandlersCover(QueueName.Maintenance, {
        [JobName.Sweep]: () => Promise.resolve(JobStatus.Done),
        [JobName.CloseIdle]: () => Promise.resolve(JobStatus.Skipped),
      }),
    ).not.toThrow();
  });
});

describe(parsePayload.name, () => {
  const valid = {
    schemaVersion: SCHEMA_VERSION,
    channel: 'web',
    assistantId: 'demo',
    conversationId: 'c',
    messageId: 'm',
    receivedAt: 1,
  };

  it('returns a valid payload', () => {
    expect(parsePayload(JobName.InboundMessage, valid)).toEqual(valid);
  });

  it('fails a malformed payload for good (no retries)', () => {
    expect(() => parsePayload(JobName.InboundMessage, { ...valid, channel: 'fax' })).toThrow(
      UnrecoverableError,
    );
  });

  it('leaves a payload from a newer schema for a newer replica (retryable)', () => {
    const error = captured(() =>
      parsePayload(JobName.InboundMessage, { ...valid, schemaVersion: SCHEMA_VERSION + 1 }),
    );
    expect(error).toBeInstanceOf(UnsupportedSchemaVersionError);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
