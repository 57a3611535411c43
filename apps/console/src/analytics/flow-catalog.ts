import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';

import { assistantConfigShape, loadAssistant } from '@parley/assistant';
import { loadConfig } from '@parley/config';
import type { FlowRef } from '@parley/db';
import { CONFIG, LOGGER, type Logger } from '@parley/platform';

import type { ConsoleConfig } from '../config';

/**
 * The flows of the assistant folder (PARLEY_ASSISTANT_DIR, as the orchestrator reads it): which
 * intent starts each and which tool ends it, so the dashboard can tell a flow's start and its
 * completion apart in the transcript. The folder describes the deployment's own assistant
 * (PARLEY_ASSISTANT_ID); for any other, and when the folder cannot be read, no flows are known.
 */
@Injectable()
export class FlowCatalog {
  private loaded: Promise<FlowRef[]> | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async flowsOf(assistantId: string): Promise<FlowRef[]> {
    if (assistantId !== this.config.PARLEY_ASSISTANT_ID) return [];
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<FlowRef[]> {
    try {
      const dir = loadConfig(z.object(assistantConfigShape)).PARLEY_ASSISTANT_DIR;
      const definition = await loadAssistant(dir);
      return definition.flows.map((flow) => ({
        name: flow.name,
        trigger: flow.trigger,
        tool: flow.tool,
      }));
    } catch (error) {
      // The dashboard works without it; only task completion per flow is left empty.
      this.logger.warn({ err: error }, 'assistant folder unreadable: no flows for analytics');
      return [];
    }
  }
}
