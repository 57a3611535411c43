import type { Classification } from '@parley/nlu';

import { DEFAULT_TEXTS, NO, YES } from './defaults';
import { yesNo, type FlowTurn } from './flow-runner';
import { say } from './say';
import type { TurnOutput } from './turn-output';

/** "Forget me": nothing is deleted on a classifier's say-so; the customer confirms first. */
export function askToErase(out: TurnOutput, turn: FlowTurn): void {
  out.state.flow = null;
  out.state.confirmingErasure = true;
  out.say(say(DEFAULT_TEXTS.eraseConfirm, out.language, 'en', {}, turn.seed), yesNo(out.language));
}

/**
 * The answer to "shall I erase your data?": a yes erases (after the reply is sent), a no keeps
 * everything; true when it was either. Anything else is a new request and the question lapses.
 */
export function readErasureAnswer(
  text: string,
  classification: Classification,
  out: TurnOutput,
  turn: FlowTurn,
): boolean {
  out.state.confirmingErasure = false;
  const trimmed = text.trim();
  if (YES.test(trimmed) || classification.intent === 'affirm') {
    out.intent = 'privacy.erase';
    out.erase = true;
    out.facts = [];
    out.say(say(DEFAULT_TEXTS.erased, out.language, 'en', {}, turn.seed));
    return true;
  }
  if (NO.test(trimmed) || classification.intent === 'deny') {
    out.intent = 'privacy.erase_declined';
    out.say(say(DEFAULT_TEXTS.eraseCancelled, out.language, 'en', {}, turn.seed));
    return true;
  }
  return false;
}
