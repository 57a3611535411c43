import { detectLanguage } from './detect-language';

describe(detectLanguage.name, () => {
  const supported = ['en', 'de', 'fr', 'es'];

  it.each([
    ['en', 'I was charged twice for my subscription this month, please refund one of them.'],
    [
      'de',
      'Ich wurde diesen Monat zweimal für mein Abo belastet, bitte erstatten Sie eine Zahlung.',
    ],
    ['fr', "J'ai été débité deux fois pour mon abonnement ce mois-ci, merci de me rembourser."],
    [
      'es',
      'Me cobraron dos veces la suscripción este mes, por favor devuélvanme uno de los cargos.',
    ],
    ['de', 'Ich möchte meine Bestellung stornieren'],
    ['fr', 'Combien de temps prend la livraison au Canada ?'],
    ['es', '¿Pueden ayudarme a restablecer mi contraseña?'],
  ])('detects %s with confidence in %j', (language, text) => {
    expect(detectLanguage(text, supported)).toEqual({ language, confident: true });
  });

  it.each(['ok thanks', 'hallo', 'merci!', 'Order #123456 / 2024-05-01'])(
    'falls back to the default language, unconfident, for the short text %j',
    (text) => {
      expect(detectLanguage(text, ['de', 'en'])).toEqual({ language: 'de', confident: false });
    },
  );

  it('ignores URLs and numbers when counting letters', () => {
    expect(detectLanguage('https://shop.example.com/orders/12345 ok', supported)).toEqual({
      language: 'en',
      confident: false,
    });
  });

  it('uses an explicit fallback', () => {
    expect(detectLanguage('hi', supported, 'fr')).toEqual({ language: 'fr', confident: false });
  });

  it('answers only with a supported language', () => {
    const result = detectLanguage('Ich möchte meine Bestellung stornieren, bitte', ['en', 'fr']);

    expect(['en', 'fr']).toContain(result.language);
    expect(result.confident).toBe(false);
  });

  it('is not confident about a language the assistant does not support', () => {
    const result = detectLanguage(
      'Vorrei annullare il mio ordine, per favore, grazie mille',
      supported,
    );

    expect(result.confident).toBe(false);
  });

  it('falls back when no supported code is valid', () => {
    expect(detectLanguage('This is a long enough English sentence.', ['xx'], 'en')).toEqual({
      language: 'en',
      confident: false,
    });
  });
});
