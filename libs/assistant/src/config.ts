import { z } from 'zod';

import { PATHS } from '@parley/config';

/** Settings of a process that loads the assistant; spread into the process's config schema. */
export const assistantConfigShape = {
  /** The assistant folder (see docs/assistant-format.md); relative paths are from the working directory. */
  PARLEY_ASSISTANT_DIR: z.string().min(1).default(PATHS.demoAssistant),
} as const;
