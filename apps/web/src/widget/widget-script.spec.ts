import { Script, runInNewContext } from 'node:vm';

import { RICH_TEXT_JS } from './script/rich-text';
import { WIDGET_JS } from './widget-script';

type Token = { text?: string; bold?: string; link?: string; href?: string };

/** The widget's tokenizer, run in Node: the part of rich text that decides what becomes a link. */
const richTokens = runInNewContext(`${RICH_TEXT_JS}; richTokens`, { URL }) as (
  text: string,
) => Token[];

describe('widget script', () => {
  it('is one valid script that uses no innerHTML, eval or document.write', () => {
    expect(() => new Script(WIDGET_JS)).not.toThrow();
    expect(WIDGET_JS).not.toMatch(
      /\.(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write|\beval\(/,
    );
    expect(WIDGET_JS).not.toMatch(/new Function/);
  });
});

describe('richTokens', () => {
  it('keeps HTML as text', () => {
    const text = '<img src=x onerror="alert(1)"> and <script>alert(2)</script>';
    expect(richTokens(text)).toEqual([{ text }]);
  });

  it('makes bold text, Markdown links and bare http(s) URLs', () => {
    expect(
      richTokens('**Note:** see [the policy](https://shop.example/returns) or http://a.example/x.'),
    ).toEqual([
      { bold: 'Note:' },
      { text: ' see ' },
      { link: 'the policy', href: 'https://shop.example/returns' },
      { text: ' or ' },
      { link: 'http://a.example/x', href: 'http://a.example/x' },
      { text: '.' },
    ]);
  });

  it('turns a Markdown image into a link to click, never an image to load', () => {
    expect(richTokens('![pixel](http://localhost:9/exfil?d=1)')).toEqual([
      { link: 'Image: pixel', href: 'http://localhost:9/exfil?d=1' },
    ]);
  });

  it('leaves links to anything but absolute http(s) URLs as text', () => {
    for (const text of [
      '[click](javascript:alert(1))',
      '[click](data:text/html,hi)',
      '[click](/relative)',
      '![x](javascript:alert(1))',
    ]) {
      const tokens = richTokens(text);
      expect(tokens.every((token) => token.text !== undefined)).toBe(true);
      expect(tokens.map((token) => token.text).join('')).toBe(text);
    }
  });
});
