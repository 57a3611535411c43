import { z } from 'zod';

import { text } from '@parley/assistant';
import { ChainSpecError, parseChain } from '@parley/llm';

/** An experiment's lifecycle: only forward, draft → running → stopped. */
export type ExperimentStatus = 'draft' | 'running' | 'stopped';

/** Persona fields an arm may replace; the rest stay as assistant.yaml says. */
export const personaOverrideSchema = z
  .strictObject({
    name: text.max(100).optional(),
    tone: text.max(1_000).optional(),
    boundaries: z.array(text.max(500)).max(20).optional(),
    instructions: text.max(4_000).optional(),
  })
  .refine((persona) => Object.values(persona).some((v) => v !== undefined), {
    message: 'name at least one of name, tone, boundaries, instructions',
  });

/** One model, written as LLM_CHAIN writes a link: `openai:gpt-4o-mini`, `anthropic:claude-haiku-4-5`. */
export const modelRefSchema = z
  .string()
  .trim()
  .max(200)
  .superRefine((ref, context) => {
    try {
      const links = parseChain(ref);
      if (links.length !== 1 || links[0]!.vendor === 'builtin') {
        context.addIssue({
          code: 'custom',
          message: 'expected one model as vendor:model, e.g. openai:gpt-4o-mini',
        });
      }
    } catch (error) {
      if (!(error instanceof ChainSpecError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });

export const overridesSchema = z.strictObject({
  /** Merged over the assistant's persona: what the built-in replies and the model's prompt use. */
  persona: personaOverrideSchema.optional(),
  /** Extra instructions appended to the model's system prompt. */
  prompt: text.max(4_000).optional(),
  /** Replaces the primary (first) model of LLM_CHAIN; the rest of the chain stays as fallback. */
  model: modelRefSchema.optional(),
});

export const armSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use 1–40 lower case letters, digits, _ and -'),
  /** Share of customers, relative to the other arms' weights. */
  weight: z.number().int().positive().max(1_000),
  overrides: overridesSchema.default({}),
});

/** What an admin sends to create an experiment. The first arm is the control. */
export const newExperimentSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'use 1–60 lower case letters, digits, _ and -'),
    description: z.string().trim().max(1_000).optional(),
    arms: z.array(armSchema).min(2, 'an experiment has 2 to 5 arms').max(5, 'at most 5 arms'),
  })
  .superRefine((experiment, context) => {
    const seen = new Set<string>();
    experiment.arms.forEach((arm, index) => {
      if (seen.has(arm.name)) {
        context.addIssue({
          code: 'custom',
          path: ['arms', index, 'name'],
          message: `"${arm.name}" names two arms`,
        });
      }
      seen.add(arm.name);
      if (index > 0 && !overridesSomething(arm.overrides)) {
        context.addIssue({
          code: 'custom',
          path: ['arms', index, 'overrides'],
          message: 'only the first arm (the control) may override nothing',
        });
      }
    });
  });

export type PersonaOverride = z.infer<typeof personaOverrideSchema>;
export type Overrides = z.infer<typeof overridesSchema>;
export type Arm = z.infer<typeof armSchema>;
export type NewExperiment = z.infer<typeof newExperimentSchema>;

export function overridesSomething(overrides: Overrides): boolean {
  return (
    overrides.persona !== undefined ||
    overrides.prompt !== undefined ||
    overrides.model !== undefined
  );
}

/** Arms as stored (JSON column): parsed again by whoever reads them, never trusted as typed. */
export function parseArms(json: unknown): Arm[] {
  return z.array(armSchema).min(1).parse(json);
}
