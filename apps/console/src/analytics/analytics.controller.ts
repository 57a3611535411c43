import { Controller, Get, Header, Inject, Query, Req, UseGuards } from '@nestjs/common';
import { z } from 'zod';

import { CHANNEL_IDS } from '@parley/contracts';
import { AnalyticsRepository, ReviewRepository, type Database } from '@parley/db';
import { DATABASE } from '@parley/platform';

import { SessionGuard, sessionOf, type ConsoleRequest } from '../auth/session.guard';
import { parseBody } from '../http';
import { FlowCatalog } from './flow-catalog';

const DAY_MS = 86_400_000;
/** The default range: the last 14 UTC days, today included. */
const DEFAULT_DAYS = 14;
const MAX_DAYS = 366;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (value) => {
      const at = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value);
    },
    { message: 'not a calendar date' },
  );

const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** from/to are UTC days, both included; a missing end is filled from the other or from today. */
export const AnalyticsQuery = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    channel: z.enum(CHANNEL_IDS).optional(),
  })
  .transform(({ from, to, channel }) => {
    const end = to ?? (from ? toDay(msOf(from) + (DEFAULT_DAYS - 1) * DAY_MS) : toDay(Date.now()));
    const start = from ?? toDay(msOf(end) - (DEFAULT_DAYS - 1) * DAY_MS);
    return { from: start, to: end, ...(channel ? { channel } : {}) };
  })
  .refine((range) => range.from <= range.to, {
    message: 'from must not be after to',
    path: ['from'],
  })
  .refine((range) => (msOf(range.to) - msOf(range.from)) / DAY_MS + 1 <= MAX_DAYS, {
    message: `at most ${MAX_DAYS} days`,
    path: ['to'],
  });

const LowRatedQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/**
 * The analytics dashboard's data, for agents and admins alike, always of the signed-in agent's
 * own assistant. Definitions of every figure: AnalyticsRepository and docs/console.md.
 */
@Controller('console/api/analytics')
@UseGuards(SessionGuard)
export class AnalyticsController {
  private readonly analytics: AnalyticsRepository;
  private readonly review: ReviewRepository;

  constructor(
    @Inject(DATABASE) db: Database,
    private readonly catalog: FlowCatalog,
  ) {
    this.analytics = new AnalyticsRepository(db);
    this.review = new ReviewRepository(db);
  }

  @Get()
  @Header('cache-control', 'no-store')
  async report(@Req() request: ConsoleRequest, @Query() query: unknown) {
    const { agent } = sessionOf(request);
    const range = parseBody(AnalyticsQuery, query);
    const flows = await this.catalog.flowsOf(agent.assistantId);
    return this.analytics.report({ assistantId: agent.assistantId, ...range }, flows);
  }

  @Get('low-rated')
  @Header('cache-control', 'no-store')
  async lowRated(@Req() request: ConsoleRequest, @Query() query: unknown) {
    const { agent } = sessionOf(request);
    const { limit } = parseBody(LowRatedQuery, query);
    return {
      conversations: await this.review.lowRated({ assistantId: agent.assistantId, limit }),
    };
  }
}
