import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { webApi } from '@slack/bolt';

import { slackRequestSigned } from '@parley/channels';
import { PATHS } from '@parley/config';

import { renderReply, SLACK_MAX_TEXT, toMrkdwn } from './mrkdwn';
import { placeOf, readableText, readBlockActions, readEventCallback } from './slack-events';
import { sendErrorOf } from './slack-sender';

interface SlackVector {
  name: string;
  signing_secret: string;
  timestamp: number;
  body: string;
  expected_signature: string;
}

describe(slackRequestSigned.name, () => {
  const { slack } = JSON.parse(
    readFileSync(path.join(PATHS.datasets, 'webhooks/signatures.json'), 'utf8'),
  ) as { slack: SlackVector[] };

  it.each(slack.map((v) => [v.name, v] as const))(
    "agrees with Slack's vector %s at the time it was signed",
    (_name, vector) => {
      const request = {
        rawBody: vector.body,
        signature: vector.expected_signature,
        timestamp: String(vector.timestamp),
      };
      const signedAt = vector.timestamp * 1000;
      expect(slackRequestSigned(vector.signing_secret, request, signedAt)).toBe(true);
      expect(slackRequestSigned(vector.signing_secret, request, signedAt + 4 * 60_000)).toBe(true);
      // The same request later than five minutes, or "from the future": a replay.
      expect(
        slackRequestSigned(vector.signing_secret, request, signedAt + 5 * 60_000 + 1_000),
      ).toBe(false);
      expect(
        slackRequestSigned(vector.signing_secret, request, signedAt - 5 * 60_000 - 1_000),
      ).toBe(false);
    },
  );

  it('refuses another body, another secret, a missing signature or timestamp', () => {
    const [vector] = slack;
    const at = vector!.timestamp * 1000;
    const base = {
      rawBody: vector!.body,
      signature: vector!.expected_signature,
      timestamp: String(vector!.timestamp),
    };
    expect(
      slackRequestSigned(vector!.signing_secret, { ...base, rawBody: `${vector!.body}&x=1` }, at),
    ).toBe(false);
    expect(slackRequestSigned('another-signing-secret-0000', base, at)).toBe(false);
    expect(slackRequestSigned(vector!.signing_secret, { ...base, signature: undefined }, at)).toBe(
      false,
    );
    expect(slackRequestSigned(vector!.signing_secret, { ...base, timestamp: undefined }, at)).toBe(
      false,
    );
    expect(slackRequestSigned(vector!.signing_secret, { ...base, signature: 'v1=abc' }, at)).toBe(
      false,
    );
    expect(slackRequestSigned('', base, at)).toBe(false);
  });

  it('accepts a request signed now with the platform algorithm', () => {
    const secret = 'a-signing-secret-of-our-own';
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"type":"event_callback"}';
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    expect(
      slackRequestSigned(secret, { rawBody: body, signature, timestamp: String(timestamp) }),
    ).toBe(true);
  });
});

describe(toMrkdwn.name, () => {
  it('escapes & < > before anything, so text never becomes a mention or a link', () => {
    expect(toMrkdwn('Fish & chips <b> <!channel> 3 > 2')).toBe(
      'Fish &amp; chips &lt;b&gt; &lt;!channel&gt; 3 &gt; 2',
    );
  });

  it('writes light markdown as mrkdwn', () => {
    expect(
      toMrkdwn(
        '**Refunds** take *5 to 10* days, see [our policy](https://shop.example/refunds?a=1&b=2).',
      ),
    ).toBe(
      '*Refunds* take _5 to 10_ days, see <https://shop.example/refunds?a=1&amp;b=2|our policy>.',
    );
    expect(toMrkdwn('## Shipping\n- Canada\n- Mexico\n~~old~~')).toBe(
      '*Shipping*\n• Canada\n• Mexico\n~old~',
    );
    expect(toMrkdwn('Run `a **b** <c>` now')).toBe('Run `a **b** &lt;c&gt;` now');
  });
});

describe(renderReply.name, () => {
  it('keeps a short reply in one message without blocks', () => {
    expect(renderReply({ text: 'Hello **there**' })).toEqual([{ text: 'Hello *there*' }]);
  });

  it('splits a reply whose mrkdwn is over 4,000 characters at word boundaries', () => {
    const text = Array.from({ length: 900 }, (_, i) => `w${i} &`).join(' ');
    const posts = renderReply({ text });
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect(post.text.length).toBeLessThanOrEqual(SLACK_MAX_TEXT);
    expect(posts.map((p) => p.text).join(' ')).toBe(toMrkdwn(text));
  });

  it('puts quick replies as buttons under the last message, each saying its label back', () => {
    const long = 'x'.repeat(80);
    const [post] = renderReply({
      text: 'Would you like more detail?',
      quickReplies: ['More detail', long],
    });
    expect(post!.text).toBe('Would you like more detail?');
    expect(post!.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Would you like more detail?' } },
      {
        type: 'actions',
        block_id: 'quick_replies',
        elements: [
          {
            type: 'button',
            action_id: 'quick_reply_0',
            text: { type: 'plain_text', text: 'More detail', emoji: true },
            value: 'More detail',
          },
          {
            type: 'button',
            action_id: 'quick_reply_1',
            text: { type: 'plain_text', text: `${'x'.repeat(74)}…`, emoji: true },
            value: long,
          },
        ],
      },
    ]);
  });
});

describe(readEventCallback.name, () => {
  const callback = (event: Record<string, unknown>, isBot = true) => ({
    type: 'event_callback',
    event_id: 'Ev1',
    event: { channel: 'D1', user: 'U1', text: 'hi', ts: '1.000001', ...event },
    authorizations: [{ user_id: 'UBOT', is_bot: isBot }],
  });

  it('takes direct messages and mentions, keyed by channel and ts', () => {
    expect(readEventCallback(callback({ type: 'message', channel_type: 'im' }))).toEqual({
      kind: 'message',
      message: { userId: 'U1', text: 'hi', providerMessageId: 'D1:1.000001', threadKey: 'D1' },
    });
    expect(
      readEventCallback(
        callback({ type: 'app_mention', channel: 'C1', text: '<@UBOT> hi', thread_ts: '0.5' }),
      ),
    ).toEqual({
      kind: 'message',
      message: { userId: 'U1', text: 'hi', providerMessageId: 'C1:1.000001', threadKey: 'C1:0.5' },
    });
  });

  it('ignores bots, itself, edits, channel chatter and bare mentions', () => {
    const ignored = [
      callback({ type: 'message', channel_type: 'im', bot_id: 'B1' }),
      callback({ type: 'message', channel_type: 'im', user: 'UBOT' }),
      callback({ type: 'message', channel_type: 'im', subtype: 'message_changed' }),
      callback({ type: 'message', channel_type: 'channel', channel: 'C1' }),
      callback({ type: 'app_mention', channel: 'C1', text: '<@UBOT>' }),
      callback({ type: 'reaction_added' }),
    ];
    for (const body of ignored) expect(readEventCallback(body).kind).toBe('ignored');
  });
});

describe(readBlockActions.name, () => {
  it('reads a click as the button value, in the thread of the buttons, keyed by user and action_ts', () => {
    expect(
      readBlockActions({
        type: 'block_actions',
        user: { id: 'U1' },
        channel: { id: 'C1' },
        message: { ts: '2.0', thread_ts: '1.0' },
        actions: [{ type: 'button', value: 'More detail', action_ts: '3.0' }],
      }),
    ).toEqual({
      kind: 'message',
      message: {
        userId: 'U1',
        text: 'More detail',
        providerMessageId: 'action:U1:3.0',
        threadKey: 'C1:1.0',
      },
    });
  });
});

describe(readableText.name, () => {
  it("undoes Slack's markup: mentions dropped, links as labels, escapes undone", () => {
    expect(
      readableText('<@U0BOT> is <https://x.example|this> &amp; <mailto:a@b.c|a@b.c> &lt;ok&gt;'),
    ).toBe('is this & a@b.c <ok>');
  });
});

describe(placeOf.name, () => {
  it('reads a thread key back as channel and thread', () => {
    expect(placeOf('C1:1.5')).toEqual({ channel: 'C1', threadTs: '1.5' });
    expect(placeOf('D1')).toEqual({ channel: 'D1' });
  });
});

describe(sendErrorOf.name, () => {
  it('retries rate limits (after Retry-After) and server errors; refuses the rest', () => {
    const limited = sendErrorOf(new webApi.WebAPIRateLimitedError(7));
    expect([limited.failure, limited.retryAfterMs]).toEqual(['retry', 7_000]);
    expect(sendErrorOf(new webApi.WebAPIHTTPError(503, 'Unavailable', {})).failure).toBe('retry');
    for (const code of ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth']) {
      expect(sendErrorOf(new webApi.WebAPIPlatformError({ ok: false, error: code })).failure).toBe(
        'rejected',
      );
    }
    expect(
      sendErrorOf(new webApi.WebAPIPlatformError({ ok: false, error: 'internal_error' })).failure,
    ).toBe('retry');
    expect(
      sendErrorOf(new webApi.WebAPIRequestError(new Error('The operation was aborted'))).failure,
    ).toBe('unknown');
  });
});
