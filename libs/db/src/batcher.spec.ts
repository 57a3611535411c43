import { Batcher } from './batcher';

/** A batch function that records its batches and answers when told to. */
function recording() {
  const batches: { key: string; inputs: number[]; finish: () => void }[] = [];
  const run = (key: string, inputs: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({
        key,
        inputs,
        finish: () =>
          inputs.includes(13)
            ? reject(new Error('thirteen'))
            : resolve(inputs.map((input) => input * 10)),
      });
    });
  return { batches, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(Batcher.name, () => {
  it('sends a call at once when nothing is in flight', async () => {
    const { batches, run } = recording();
    const batcher = new Batcher(run);
    const answer = batcher.call('a', 1);
    expect(batches.map((batch) => batch.inputs)).toEqual([[1]]);
    batches[0]!.finish();
    await expect(answer).resolves.toBe(10);
  });

  it('sends the calls made while a batch is in flight together, next, each answered its own', async () => {
    const { batches, run } = recording();
    const batcher = new Batcher(run);
    const answers = [1, 2, 3, 4].map((input) => batcher.call('a', input));
    expect(batches.map((batch) => batch.inputs)).toEqual([[1]]);
    batches[0]!.finish();
    await tick();
    expect(batches.map((batch) => batch.inputs)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30, 40]);
  });

  it('keeps keys apart: one key in flight does not hold up another', () => {
    const { batches, run } = recording();
    const batcher = new Batcher(run);
    void batcher.call('a', 1);
    void batcher.call('b', 2);
    expect(batches.map((batch) => [batch.key, batch.inputs])).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
  });

  it('sends at most maxBatch calls in one batch', async () => {
    const { batches, run } = recording();
    const batcher = new Batcher(run, 2);
    const answers = [1, 2, 3, 4, 5].map((input) => batcher.call('a', input));
    for (let i = 0; i < 3; i += 1) {
      batches[i]!.finish();
      await tick();
    }
    expect(batches.map((batch) => batch.inputs)).toEqual([[1], [2, 3], [4, 5]]);
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('fails only the bad call of a failed batch: the others are tried again alone', async () => {
    const { batches, run } = recording();
    const batcher = new Batcher(run);
    const answers = [1, 2, 13, 4].map((input) =>
      batcher.call('a', input).catch((error: Error) => error.message),
    );
    batches[0]!.finish();
    await tick();
    batches[1]!.finish(); // [2, 13, 4] fails...
    for (let i = 2; i < 5; i += 1) {
      await tick();
      batches[i]!.finish();
    }
    expect(batches.slice(2).map((batch) => batch.inputs)).toEqual([[2], [13], [4]]);
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 'thirteen', 40]);
  });

  it('fails the calls of a batch answered with the wrong number of results', async () => {
    const batcher = new Batcher<number, number>(() => Promise.resolve([]));
    await expect(batcher.call('a', 1)).rejects.toThrow('batch of 1 answered 0 results');
  });
});
