/** A customer message as the linked WhatsApp Web session received it. */
export interface WebMessage {
  /** whatsapp-web.js's serialised message id: the dedupe key. */
  id: string;
  /** The chat it came from: `<number>@c.us` (groups end in `@g.us`). */
  from: string;
  body: string;
  /** Seconds since the epoch, as WhatsApp stamped it. */
  timestamp: number;
  fromMe: boolean;
}

export interface WhatsAppClientEvents {
  message: (message: WebMessage) => void;
  /** A QR code to link the session (the string the phone scans), until linked. */
  qr: (qr: string) => void;
  ready: () => void;
  disconnected: (reason: string) => void;
}

/**
 * The linked-device client Parley drives (whatsapp-web.js in production, a fake in tests): the
 * only place the unofficial library is touched.
 */
export interface WhatsAppClient {
  on<E extends keyof WhatsAppClientEvents>(event: E, listener: WhatsAppClientEvents[E]): void;
  /** Starts (or restarts after destroy) the session; resolves once the page is loaded. */
  initialize(): Promise<void>;
  sendMessage(chatId: string, text: string): Promise<{ id: string }>;
  /** Shows "typing…" in the chat until a message is sent there or 25 seconds pass. */
  typing(chatId: string): Promise<void>;
  destroy(): Promise<void>;
}
