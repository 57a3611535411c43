import { z } from 'zod';

/** Every channel Parley speaks. Adding a channel: one id here, one capabilities entry below. */
export const CHANNEL_IDS = ['web', 'slack', 'sms', 'whatsapp'] as const;
export const ChannelIdSchema = z.enum(CHANNEL_IDS);
export type ChannelId = z.infer<typeof ChannelIdSchema>;

export type TextFormat = 'markdown' | 'mrkdwn' | 'whatsapp' | 'plain';

/** What a channel can render; the engine and output guard shape replies to fit. */
export interface ChannelCapabilities {
  /** Longest text one outbound message may carry before it must be split. */
  readonly maxTextLength: number;
  readonly format: TextFormat;
  /** Quick replies rendered as tappable buttons (otherwise as numbered options). */
  readonly buttons: boolean;
  readonly maxButtons: number;
  /** Tokens can be streamed to the customer while the reply is generated. */
  readonly streaming: boolean;
  readonly typingIndicator: boolean;
}

export const CHANNEL_CAPABILITIES: Readonly<Record<ChannelId, ChannelCapabilities>> = {
  web: {
    maxTextLength: 8_000,
    format: 'markdown',
    buttons: true,
    maxButtons: 10,
    streaming: true,
    typingIndicator: true,
  },
  slack: {
    maxTextLength: 4_000,
    format: 'mrkdwn',
    buttons: true,
    maxButtons: 25,
    streaming: false,
    typingIndicator: false,
  },
  sms: {
    maxTextLength: 1_600,
    format: 'plain',
    buttons: false,
    maxButtons: 0,
    streaming: false,
    typingIndicator: false,
  },
  whatsapp: {
    maxTextLength: 4_096,
    format: 'whatsapp',
    buttons: true,
    // Tappable choices: up to 3 as reply buttons, up to 10 as a list (Cloud API limits).
    maxButtons: 10,
    streaming: false,
    typingIndicator: true,
  },
};
