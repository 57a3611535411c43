import { detectAbuse } from './detect-abuse';

describe(detectAbuse.name, () => {
  it.each([
    'Where is my parcel?',
    'Thanks, that helped a lot',
    'I am such an idiot, I forgot my password',
    'you must think I am stupid',
    'This app is useless',
    'I need to assess the class schedule',
    'what sex should I put on the form',
    'Quiero el modelo negro',
  ])('finds nothing in the clean message %j', (text) => {
    expect(detectAbuse(text)).toEqual({ level: 'none', terms: [] });
  });

  it.each([
    ['this fucking app crashed again', 'fuck'],
    ['this f***ing app', 'fucking'],
    ['f*ck this update', 'fuck'],
    ['what a sh1t service', 'shit'],
    ['fuuuuck, the parcel is gone', 'fuck'],
    ['wtf is going on with my order', 'wtf'],
    ['Scheiße, das Paket ist weg', 'scheisse'],
  ])('calls swearing about the product profanity: %j', (text, term) => {
    const result = detectAbuse(text);

    expect(result.level).toBe('profanity');
    expect(result.terms).toContain(term);
  });

  it.each([
    ['you are useless, idiot', ['useless', 'idiot']],
    ['are you stupid?', ['stupid']],
    ['stuuupid bot', ['stupid']],
    ['You 1d10t', ['idiot']],
    ['you a**hole', ['asshole']],
    ['fuck off', ['fuck off']],
    ['shut up and give me a human', ['shut up']],
    ['Du bist so dumm', ['dumm']],
    ['Halt die Klappe!', ['halt die klappe']],
  ])('calls insults aimed at the agent abusive: %j', (text, terms) => {
    const result = detectAbuse(text);

    expect(result.level).toBe('abusive');
    expect(result.terms).toEqual(expect.arrayContaining(terms));
  });

  it('does not count an insulting adjective about a thing as abuse', () => {
    expect(detectAbuse('you sent me a useless link').level).toBe('none');
  });

  it('does not count a negated insult as abuse', () => {
    expect(detectAbuse("you're not stupid, the app is").level).toBe('none');
  });
});
