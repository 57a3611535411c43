/** Machine-readable names of what matched; stable, because logs and metrics count them. */
export type InjectionSignal =
  | 'override_instructions'
  | 'new_instructions'
  | 'reveal_prompt'
  | 'role_play_jailbreak'
  | 'system_tag'
  | 'delimiter_escape'
  | 'encoded_payload'
  | 'obfuscation';

export interface InjectionResult {
  detected: boolean;
  /** 0..1: the signals' weights combined as independent evidence, 1 - Π(1 - w). */
  score: number;
  signals: InjectionSignal[];
}

/** One pattern and how much a match alone says; 0.5 or more is enough to flag a message. */
export interface InjectionRule {
  signal: InjectionSignal;
  weight: number;
  pattern: RegExp;
}
