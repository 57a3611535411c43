import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';

import type { ApiError, PostMessageAccepted, PostMessageResponse } from '@parley/contracts';

export interface ChatOptions {
  url: string;
  user: string;
}

/** Interactive chat against the web API. A digit picks one of the offered quick replies. */
export async function chat(options: ChatOptions): Promise<void> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  let conversationId: string | undefined;
  let options_: string[] = [];
  console.log(`Chatting with ${options.url} as ${options.user}. Ctrl-D to leave.\n`);
  rl.setPrompt('you › ');
  rl.prompt();
  for await (const line of rl) {
    const typed = line.trim();
    if (!typed) {
      rl.prompt();
      continue;
    }
    const picked = /^\d+$/.test(typed) ? options_[Number(typed) - 1] : undefined;
    const text = picked ?? typed;
    try {
      const response = await fetch(`${options.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          userId: options.user,
          text,
          ...(conversationId ? { conversationId } : {}),
        }),
      });
      const body = (await response.json()) as PostMessageResponse | PostMessageAccepted | ApiError;
      if ('error' in body) {
        console.log(`  ! ${body.error.message} (${body.error.code})`);
      } else if ('replies' in body) {
        conversationId = body.conversationId;
        for (const reply of body.replies)
          console.log(`bot › ${reply.text.replace(/\n/g, '\n      ')}`);
        options_ = body.replies.at(-1)?.quickReplies ?? [];
        options_.forEach((option, index) => console.log(`      ${index + 1}. ${option}`));
        if (body.status !== 'bot') console.log(`  (conversation status: ${body.status})`);
      } else {
        conversationId = body.conversationId;
        console.log('  … still working on it; the reply will be in the transcript.');
      }
    } catch (error) {
      console.log(
        `  ! could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    rl.prompt();
  }
}

export const defaultChatUser = () => `cli-${randomUUID().slice(0, 8)}`;
