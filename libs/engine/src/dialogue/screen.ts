import type { AssistantDefinition } from '@parley/assistant';
import { detectAbuse, detectAnyLanguage, detectInjection, frustrationScore } from '@parley/guard';

import { DEFAULT_TEXTS } from './defaults';
import type { FlowTurn } from './flow-runner';
import { joinOptions, languageName, say } from './say';
import type { TurnOutput } from './turn-output';

/**
 * The input guards' verdicts on one message: an injection attempt is refused, strong frustration
 * hands over, abuse is acknowledged calmly, an unsupported language gets a note in English.
 * True when the turn ends here.
 */
export function screen(
  text: string,
  out: TurnOutput,
  turn: FlowTurn,
  def: AssistantDefinition,
  languageConfident: boolean,
): boolean {
  const state = out.state;
  if (detectInjection(text).detected) {
    out.intent = 'guard.injection';
    out.guards.push('injection');
    out.say(say(DEFAULT_TEXTS.injection, out.language, 'en', {}, turn.seed));
    return true;
  }
  const abuse = detectAbuse(text);
  state.frustration = [...state.frustration, frustrationScore(text, abuse)].slice(-3);
  const threshold = def.policies.escalation.frustration_threshold;
  // Strong frustration over the last two messages, or one message far past the threshold.
  const recent = state.frustration.slice(-2);
  const sustained = recent.length === 2 && Math.min(...recent) >= threshold;
  if (sustained || (recent.at(-1) ?? 0) >= Math.max(threshold, 0.95)) {
    out.intent = 'policy.frustration';
    out.guards.push('frustration');
    out.say(say(DEFAULT_TEXTS.abuse, out.language, 'en', {}, turn.seed));
    out.escalate = 'frustration';
    return true;
  }
  if (abuse.level === 'abusive') {
    out.guards.push('abuse');
    out.say(say(DEFAULT_TEXTS.abuse, out.language, 'en', {}, turn.seed));
  }

  if (!languageConfident) {
    const other = detectAnyLanguage(text);
    if (other.known && other.confident && !def.assistant.languages.includes(other.language)) {
      out.guards.push('unsupported_language');
      out.language = def.assistant.default_language;
      turn.language = out.language;
      out.say(
        say(DEFAULT_TEXTS.unsupportedLanguage, 'en', 'en', {
          languages: joinOptions(def.assistant.languages.map(languageName), 'en'),
        }),
      );
    }
  }

  return false;
}
