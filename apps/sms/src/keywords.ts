/**
 * The carrier keywords every US/CA number must honour (CTIA), matched on the whole message
 * as Twilio does: case and surrounding spaces do not matter, other words do. Twilio itself stops
 * sending to a number that texted STOP; Parley stops trying. (YES, which Twilio also reads as
 * START, is left to the conversation: it answers "Shall I go ahead?".)
 */
export type Keyword = 'stop' | 'start' | 'help';

const KEYWORDS: Record<string, Keyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  END: 'stop',
  QUIT: 'stop',
  CANCEL: 'stop',
  START: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

export function keywordOf(body: string): Keyword | null {
  return KEYWORDS[body.trim().toUpperCase()] ?? null;
}
