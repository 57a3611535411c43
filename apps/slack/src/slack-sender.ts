import { setTimeout as sleep } from 'node:timers/promises';

import { webApi } from '@slack/bolt';

import { SendError, type ChannelSender } from '@parley/channels';
import type { OutboundReply } from '@parley/contracts';
import type { DeliveryAddress } from '@parley/db';

import type { SlackConfig } from './config';
import { renderReply, type SlackPost } from './mrkdwn';
import { placeOf } from './slack-events';

/** Slack's answers that mean "not now": the message was not posted and may be sent again. */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
/** Errors of a connection that never carried the request: safe to send again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** A later part of a long reply waits this long at most for a rate limit before giving up. */
const PART_WAIT_MAX_MS = 30_000;

/**
 * Posts replies with Slack's official Web API client (chat.postMessage) in the conversation's
 * channel and thread, rendered as mrkdwn with quick replies as buttons. The client's own retries
 * are off: Parley's delivery worker retries, after claiming, so a send is never doubled.
 */
export class SlackSender implements ChannelSender {
  private readonly client: webApi.WebClient;

  constructor(config: SlackConfig) {
    this.client = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
      slackApiUrl: config.SLACK_API_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: config.SLACK_TIMEOUT_MS,
    });
  }

  /** Slack's rate limit is per channel. */
  bucket(address: DeliveryAddress): string {
    return placeOf(address.threadKey ?? address.externalId).channel;
  }

  async send(
    address: DeliveryAddress,
    reply: OutboundReply,
  ): Promise<{ providerMessageId?: string }> {
    // A conversation without a thread key began elsewhere: a DM with the customer (user id).
    const { channel, threadTs } = placeOf(address.threadKey ?? address.externalId);
    let providerMessageId: string | undefined;
    for (const post of renderReply(reply)) {
      const ts = providerMessageId
        ? await this.postLaterPart(channel, threadTs, post)
        : await this.post(channel, threadTs, post);
      providerMessageId ??= ts;
    }
    return providerMessageId ? { providerMessageId } : {};
  }

  /** Returns the posted message's ts (its id within the channel). */
  private async post(
    channel: string,
    threadTs: string | undefined,
    post: SlackPost,
  ): Promise<string | undefined> {
    try {
      const result = await this.client.chat.postMessage({
        channel,
        text: post.text,
        ...(post.blocks ? { blocks: post.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      });
      return result.ts;
    } catch (error) {
      throw sendErrorOf(error);
    }
  }

  /**
   * The first part of a long reply is out: a retry of the job would post it again, so a later
   * part waits out a rate limit in place, and any other failure leaves the reply partly delivered.
   */
  private async postLaterPart(
    channel: string,
    threadTs: string | undefined,
    post: SlackPost,
  ): Promise<string | undefined> {
    for (let waited = 0; ;) {
      try {
        return await this.post(channel, threadTs, post);
      } catch (error) {
        const failure = error as SendError;
        const wait = failure.retryAfterMs ?? 1_000;
        if (failure.failure !== 'retry' || waited + wait > PART_WAIT_MAX_MS) {
          throw new SendError(`partly delivered: ${failure.message}`, 'unknown');
        }
        await sleep(wait);
        waited += wait;
      }
    }
  }
}

export function sendErrorOf(error: unknown): SendError {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new SendError(
      `Slack 429: retry after ${error.retryAfter} s`,
      'retry',
      error.retryAfter * 1_000,
    );
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    // Any other answer (channel_not_found, not_in_channel, is_archived, invalid_auth, …) refuses
    // this message for good; Slack did not post it.
    return new SendError(`Slack ${code}`, TRANSIENT.has(code) ? 'retry' : 'rejected');
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const failure = error.statusCode === 429 || error.statusCode >= 500 ? 'retry' : 'rejected';
    return new SendError(`Slack HTTP ${error.statusCode}`, failure);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    const cause = (error.original as { cause?: { code?: string } }).cause;
    if (cause?.code && NOT_SENT.has(cause.code)) return new SendError(error.message, 'retry');
    return new SendError(`Slack call ended without an answer: ${error.message}`, 'unknown');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SendError(`Slack call failed: ${message}`, 'unknown');
}
