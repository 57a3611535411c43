import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

import type { PostMessageBody, VisitorIdentity } from '@parley/contracts';
import type { TranscriptRepository } from '@parley/db';
import { CONFIG, ErrorCode, LOGGER, ParleyError, type Logger } from '@parley/platform';

import type { WebConfig } from '../config';
import { TRANSCRIPTS } from '../tokens';
import { isValidUserHash, verifyUserHash } from './user-hash';
import { isValidVisitorToken, isVisitorId, issueVisitor, visitorKey } from './visitor-token';

/** What a reader presents for a conversation: the credential its owner posts with. */
export interface ReaderCredentials {
  userHash?: string | undefined;
  visitorToken?: string | undefined;
}

/**
 * Who may post as a web user and read a web conversation. Three kinds of web user:
 * - widget visitors (`visitor:` ids from POST /api/v1/visitors): only with their visitorToken;
 * - verified customers (a userHash was accepted once): only with their userHash;
 * - plain user ids of API clients: as before, anyone who knows the id (and, to read, the
 *   conversation id). A visitor is never verified: only a userHash verifies.
 */
@Injectable()
export class WebIdentity implements OnModuleInit {
  private readonly visitorKey: Buffer | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: WebConfig,
    @Inject(TRANSCRIPTS) private readonly transcripts: TranscriptRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.visitorKey = visitorKey(config);
  }

  onModuleInit(): void {
    if (!this.visitorKey) {
      this.logger.warn(
        'visitor tokens are off (no WEB_VISITOR_SECRET or WEB_IDENTITY_SECRET): the widget cannot start conversations',
      );
    }
  }

  issueVisitor(): VisitorIdentity {
    return issueVisitor(this.requireVisitorKey());
  }

  /** Whether a message comes from a verified customer; throws when its sender is not proven. */
  sender(body: PostMessageBody): { verified: boolean } {
    if (isVisitorId(body.userId)) {
      if (body.userHash !== undefined) {
        throw new ParleyError(
          ErrorCode.InvalidRequest,
          "userHash: a widget visitor cannot be a verified customer; send the customer's own userId with its userHash.",
        );
      }
      this.requireVisitorToken(body.userId, body.visitorToken);
      return { verified: false };
    }
    if (body.visitorToken !== undefined) {
      throw new ParleyError(
        ErrorCode.InvalidRequest,
        'visitorToken: only for the visitor ids POST /api/v1/visitors issues.',
      );
    }
    return {
      verified: verifyUserHash(this.config.WEB_IDENTITY_SECRET, body.userId, body.userHash),
    };
  }

  /**
   * Refuses to show a conversation (transcript or stream) to anyone without its owner's
   * credential, when its owner has one. Throws conversation_not_found for unknown conversations.
   */
  async requireReader(conversationId: string, credentials: ReaderCredentials): Promise<void> {
    const owner = await this.transcripts.owner(this.config.PARLEY_ASSISTANT_ID, conversationId);
    if (!owner) throw new ParleyError(ErrorCode.ConversationNotFound, 'No such conversation.');
    if (owner.channel === 'web' && isVisitorId(owner.externalUserId)) {
      this.requireVisitorToken(owner.externalUserId, credentials.visitorToken);
      return;
    }
    if (!owner.verified) return;
    if (credentials.userHash === undefined) {
      throw new ParleyError(
        ErrorCode.IdentityRequired,
        'This conversation belongs to a verified customer: send their userHash (query parameter userHash).',
      );
    }
    const secret = this.config.WEB_IDENTITY_SECRET;
    const valid =
      owner.channel === 'web' &&
      secret !== undefined &&
      isValidUserHash(secret, owner.externalUserId, credentials.userHash);
    if (!valid) {
      throw new ParleyError(
        ErrorCode.IdentityInvalid,
        "userHash is not the conversation owner's: send hex(HMAC-SHA256(WEB_IDENTITY_SECRET, userId)).",
      );
    }
  }

  private requireVisitorToken(userId: string, token: string | undefined): void {
    const key = this.requireVisitorKey();
    if (token === undefined) {
      throw new ParleyError(
        ErrorCode.VisitorTokenRequired,
        'This is a widget visitor id: send the visitorToken POST /api/v1/visitors issued with it.',
      );
    }
    if (!isValidVisitorToken(key, userId, token)) {
      throw new ParleyError(
        ErrorCode.VisitorTokenInvalid,
        'visitorToken does not match this visitor id: ask POST /api/v1/visitors for a new identity.',
      );
    }
  }

  private requireVisitorKey(): Buffer {
    if (!this.visitorKey) {
      throw new ParleyError(
        ErrorCode.VisitorTokensOff,
        'Visitor tokens are off: set WEB_VISITOR_SECRET (or WEB_IDENTITY_SECRET) on the web service.',
      );
    }
    return this.visitorKey;
  }
}
