import { PATHS } from '@parley/config';

import { loadAssistant } from './load';
import { toolArgsSchema } from './tool-args';

describe(toolArgsSchema.name, () => {
  it("validates arguments against the demo tools' declarations", async () => {
    const { tools } = await loadAssistant(PATHS.demoAssistant);
    const startReturn = toolArgsSchema(tools.start_return!);
    const callback = toolArgsSchema(tools.schedule_callback!);

    expect(
      startReturn.safeParse({ order_id: 'ORD-10482', reason: 'too_small', window_days: 30 })
        .success,
    ).toBe(true);
    expect(
      startReturn.safeParse({ order_id: 'ORD-1', reason: 'too_small', window_days: 30 }).success,
    ).toBe(false);
    expect(startReturn.safeParse({ order_id: 'ORD-10482', reason: 'bored' }).success).toBe(false);
    expect(
      callback.safeParse({ phone: '+15035550123', time: '2030-05-03T10:00:00-07:00' }).success,
    ).toBe(true);
    expect(
      callback.safeParse({ phone: '503 555', time: '2030-05-03T10:00:00-07:00' }).success,
    ).toBe(false);
  });

  it('lets optional arguments be left out and refuses unknown ones', () => {
    const schema = toolArgsSchema({
      type: 'code',
      description: 'test',
      side_effects: false,
      access: 'public',
      args: {
        note: { type: 'string', required: false },
        count: { type: 'integer', min: 1, required: true },
      },
      outcomes: [],
      returns: [],
    });

    expect(schema.safeParse({ count: 2 }).success).toBe(true);
    expect(schema.safeParse({ count: 0 }).success).toBe(false);
    expect(schema.safeParse({ count: 2, extra: true }).success).toBe(false);
  });
});
