import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';

import {
  ExperimentRepository,
  type Database,
  type ExperimentRecord,
  type TransitionResult,
} from '@parley/db';
import { compareArms, newExperimentSchema, parseArms } from '@parley/experiments';
import { DATABASE, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import { AdminOnly, SessionGuard, sessionOf, type ConsoleRequest } from '../auth/session.guard';
import { parseBody } from '../http';

/**
 * A/B tests of the assistant's persona, prompt or model. Admins define, start and stop them;
 * every agent may read them and their results. One experiment runs per assistant at a time.
 */
@Controller('console/api/experiments')
@UseGuards(SessionGuard)
export class ExperimentsController {
  private readonly repository: ExperimentRepository;

  constructor(
    @Inject(DATABASE) db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.repository = new ExperimentRepository(db);
  }

  @Get()
  @Header('cache-control', 'no-store')
  async list(@Req() request: ConsoleRequest) {
    const { agent } = sessionOf(request);
    return { experiments: (await this.repository.list(agent.assistantId)).map(view) };
  }

  @Post()
  @HttpCode(201)
  @AdminOnly()
  @Header('cache-control', 'no-store')
  async create(@Req() request: ConsoleRequest, @Body() body: unknown) {
    const { agent } = sessionOf(request);
    const input = parseBody(newExperimentSchema, body);
    const experiment = await this.repository.create(agent.assistantId, input);
    if (!experiment) {
      throw new ParleyError(ErrorCode.ExperimentExists, 'An experiment with this key exists.');
    }
    this.logger.info({ experimentId: experiment.id, by: agent.id }, 'experiment created');
    return { experiment: view(experiment) };
  }

  @Get(':id')
  @Header('cache-control', 'no-store')
  async detail(@Req() request: ConsoleRequest, @Param('id') id: string) {
    return { experiment: view(await this.experiment(request, id)) };
  }

  @Post(':id/start')
  @HttpCode(200)
  @AdminOnly()
  async start(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const { agent } = sessionOf(request);
    const result = await this.repository.start(agent.assistantId, experimentId(id));
    const experiment = done(result, 'Only a draft can be started.');
    this.logger.info({ experimentId: experiment.id, by: agent.id }, 'experiment started');
    return { experiment: view(experiment) };
  }

  @Post(':id/stop')
  @HttpCode(200)
  @AdminOnly()
  async stop(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const { agent } = sessionOf(request);
    const result = await this.repository.stop(agent.assistantId, experimentId(id));
    const experiment = done(result, 'Only a running experiment can be stopped.');
    this.logger.info({ experimentId: experiment.id, by: agent.id }, 'experiment stopped');
    return { experiment: view(experiment) };
  }

  @Get(':id/results')
  @Header('cache-control', 'no-store')
  async results(@Req() request: ConsoleRequest, @Param('id') id: string) {
    const experiment = await this.experiment(request, id);
    const arms = parseArms(experiment.arms);
    const counts = await this.repository.armCounts(
      experiment.assistantId,
      experiment.id,
      arms.map((arm) => arm.name),
    );
    return { experiment: view(experiment), ...compareArms(counts) };
  }

  private async experiment(request: ConsoleRequest, id: string): Promise<ExperimentRecord> {
    const { agent } = sessionOf(request);
    const experiment = await this.repository.get(agent.assistantId, experimentId(id));
    if (!experiment) throw notFound();
    return experiment;
  }
}

const notFound = () => new ParleyError(ErrorCode.ExperimentNotFound, 'No such experiment.');

/** Experiment ids are UUIDs; anything else is as unknown as another assistant's experiment. */
function experimentId(id: string): string {
  if (!z.uuid().safeParse(id).success) throw notFound();
  return id;
}

function done(result: TransitionResult, wrongStatus: string): ExperimentRecord {
  switch (result.kind) {
    case 'done':
      return result.experiment;
    case 'not_found':
      throw notFound();
    case 'wrong_status':
      throw new ParleyError(
        ErrorCode.ExperimentConflict,
        `${wrongStatus} This one is ${result.status}.`,
      );
    case 'another_running':
      throw new ParleyError(
        ErrorCode.ExperimentConflict,
        'Another experiment is running for this assistant: stop it first.',
      );
  }
}

function view(experiment: ExperimentRecord) {
  return {
    id: experiment.id,
    key: experiment.key,
    description: experiment.description,
    status: experiment.status,
    arms: parseArms(experiment.arms),
    createdAt: experiment.createdAt,
    startedAt: experiment.startedAt,
    endedAt: experiment.endedAt,
  };
}
