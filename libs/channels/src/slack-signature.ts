import { isValidSlackRequest } from '@slack/bolt';

/** Slack's replay window: a request signed longer ago (or ahead) than this is refused. */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

export interface SlackSignedRequest {
  /** The body exactly as Slack sent it: the signature covers these bytes. */
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * Whether a request carries Slack's X-Slack-Signature: `v0=` + hex HMAC-SHA256(signing secret,
 * `v0:{timestamp}:{raw body}`), compared in constant time by Bolt's own verifier, with a timestamp
 * within five minutes of now either way (Bolt checks only the past).
 */
export function slackRequestSigned(
  signingSecret: string,
  request: SlackSignedRequest,
  nowMs: number = Date.now(),
): boolean {
  const { signature, timestamp, rawBody } = request;
  if (!signingSecret || !signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > SLACK_SIGNATURE_WINDOW_SECONDS) return false;
  return isValidSlackRequest({
    signingSecret,
    body: rawBody,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
    nowMilliseconds: nowMs,
  });
}
