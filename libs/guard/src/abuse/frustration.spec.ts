import { detectAbuse } from './detect-abuse';
import { assessFrustration, frustrationScore } from './frustration';

describe(assessFrustration.name, () => {
  it('finds no frustration in a calm question', () => {
    expect(assessFrustration('Could you tell me when my parcel will arrive?')).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it('explains a frustrated message with its reasons', () => {
    const result = assessFrustration(
      'This is the third time I ask!!! Still not fixed, this is ridiculous.',
    );

    expect(result.reasons).toEqual(
      expect.arrayContaining([
        'repeat_contact',
        'repeated_punctuation',
        'still_broken',
        'strong_words',
      ]),
    );
    expect(result.score).toBeGreaterThanOrEqual(0.9);
  });

  it('counts shouting in capitals', () => {
    expect(assessFrustration('WHERE IS MY REFUND').reasons).toEqual(['shouting']);
  });

  it('counts swearing and abuse', () => {
    expect(assessFrustration('this fucking app').reasons).toContain('profanity');
    expect(assessFrustration('you are useless, idiot').reasons).toContain('abuse');
  });

  it('takes the abuse verdict the caller already has, instead of detecting it again', () => {
    const text = 'you are useless, idiot';
    expect(assessFrustration(text, detectAbuse(text))).toEqual(assessFrustration(text));
    expect(assessFrustration(text, { level: 'none', terms: [] }).reasons).not.toContain('abuse');
  });

  it('reads German', () => {
    expect(assessFrustration('Zum dritten Mal: das ist lächerlich').reasons).toEqual(
      expect.arrayContaining(['repeat_contact', 'strong_words']),
    );
  });
});

describe(frustrationScore.name, () => {
  it('stays within 0..1 however much is wrong', () => {
    const score = frustrationScore(
      'WORST SERVICE EVER!!! THIRD TIME, STILL NOT FIXED, WASTE OF MY TIME, YOU ARE USELESS, SPEAK TO A HUMAN',
    );

    expect(score).toBe(1);
  });

  it('ranks an angrier message higher', () => {
    expect(frustrationScore('still not delivered')).toBeLessThan(
      frustrationScore('still not delivered!!! ridiculous'),
    );
  });
});
