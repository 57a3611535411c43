import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';

import { TicketRepository, type Database } from '@parley/db';
import { SlackClaimChannel, parseNotificationRef, type ClaimClick } from '@parley/handoff';
import { CONFIG, DATABASE, LOGGER, ShutdownCoordinator, type Logger } from '@parley/platform';

import type { ConsoleConfig } from '../config';
import { TicketsService } from '../tickets/tickets.service';

/**
 * Claims made with the Claim button of a ticket's notice in the Slack support channel. The
 * clicking Slack user is the console agent with the same email in this console's assistant; the
 * claim is the console's own atomic claim. Slack is answered before this runs (it waits 3 s), so
 * refusals reach the user through the click's `response_url`, seen by them alone.
 */
@Injectable()
export class SlackClaims {
  private readonly slack: SlackClaimChannel | null;
  private readonly notices: TicketRepository;
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(CONFIG) private readonly config: ConsoleConfig,
    @Inject(DATABASE) db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tickets: TicketsService,
    shutdown: ShutdownCoordinator,
  ) {
    this.slack = config.HANDOFF_SLACK_BOT_TOKEN
      ? new SlackClaimChannel({
          token: config.HANDOFF_SLACK_BOT_TOKEN,
          apiUrl: config.HANDOFF_SLACK_API_URL,
        })
      : null;
    this.notices = new TicketRepository(db);
    shutdown.register('work', () => Promise.allSettled([...this.running]));
  }

  /** Handles the click in the background; a failure is logged (the user may click again). */
  start(click: ClaimClick): void {
    const run = this.handle(click)
      .catch((error: unknown) => {
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error), ticketId: click.ticketId },
          'Slack claim failed',
        );
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async handle(click: ClaimClick): Promise<void> {
    const slack = this.slack;
    if (!slack) return;
    const assistantId = this.config.PARLEY_ASSISTANT_ID;
    const tell = (text: string) => slack.tellUser(click.responseUrl, text);

    let email: string | null;
    try {
      email = await slack.userEmail(click.slackUserId);
    } catch (error) {
      // users.info refused (user_not_found, missing_scope…): no agent can be told apart.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), ticketId: click.ticketId },
        'Slack users.info failed',
      );
      await tell('Parley could not read your Slack profile, so the ticket was not claimed.');
      return;
    }
    const agent = email ? await this.tickets.agents.enabledAgentByEmail(assistantId, email) : null;
    if (!agent) {
      await tell(
        email
          ? `There is no console agent with your Slack email (${email}), so the ticket was not claimed. Ask an admin to add you.`
          : 'Slack does not share your email with Parley, so the ticket was not claimed.',
      );
      return;
    }
    // Ids are UUIDs; anything else is as unknown as another assistant's ticket.
    const outcome = z.uuid().safeParse(click.ticketId).success
      ? await this.tickets.repository.claim(assistantId, click.ticketId, agent.id)
      : 'not_found';
    const log = { ticketId: click.ticketId, agentId: agent.id, outcome };
    switch (outcome) {
      case 'claimed':
        break;
      case 'not_found':
        this.logger.warn(log, 'Slack claim of an unknown ticket');
        await tell('This ticket is not in this console, so it was not claimed.');
        return;
      case 'taken': {
        const ticket = await this.tickets.repository.ticket(assistantId, click.ticketId);
        this.logger.info(log, 'Slack claim refused');
        await tell(
          `This ticket is already claimed by ${ticket?.assignedAgentName ?? 'another agent'}.`,
        );
        return;
      }
      case 'resolved':
        this.logger.info(log, 'Slack claim refused');
        await tell('This ticket is resolved already.');
        return;
    }
    this.logger.info(log, 'ticket claimed from Slack');

    const where =
      click.channel && click.ts
        ? { channel: click.channel, ts: click.ts }
        : parseNotificationRef(
            (await this.notices.get(assistantId, click.ticketId))?.notificationRef ?? null,
          );
    if (!where) return;
    try {
      await slack.markClaimed(where, click.blocks, agent.name);
    } catch (error) {
      // The claim stands; only the notice is stale.
      this.logger.warn(
        { ...log, err: error instanceof Error ? error.message : String(error) },
        'Slack notice not updated after the claim',
      );
      await tell(`You have the ticket, but its message could not be updated.`);
    }
  }
}
