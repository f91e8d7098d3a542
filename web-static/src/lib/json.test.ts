import { describe, expect, it } from 'vitest';
import { exactEntries, formatJson, parseJsonWithSources, prettyJson, sourceOf } from './json';

const samples = [
  '{}',
  '[]',
  '{"to":["customer@example.com"],"subject":"Refund","body":"Hello,\\nyour refund is on its way."}',
  ' { "a" : [ 1 , 2.5 , -3 , true , false , null , { } , [ ] ] , "b" : { "c" : "d" } } ',
  '"just a string"',
  '42',
  'null',
  '{"nested":{"deep":[{"x":[[1],[2,[3]]]}]},"empty":"","unicode":"café ✓","quote":"she said \\"hi\\", {not json}: [x]"}',
  '{"a\\\\b":"c:\\\\","end\\\\":"\\\\"}',
];
/** Valid, but re-serializing would change the text (numbers and escapes spelled differently). */
const escaped = ['{"n":-3e-2,"\\u0061":1,"s":"caf\\u00e9 \\/ \\"q\\" {,:}"}'];

describe('parseJsonWithSources', () => {
  it.each([...samples, ...escaped])('gives the same value as JSON.parse: %s', (text) => {
    expect(parseJsonWithSources(text)).toEqual(JSON.parse(text));
  });

  it('remembers the exact source of objects and arrays', () => {
    const text = '{"review":{"payload":{"amount":12345678901234567890,"rate":1.50,"b":1,"10":2},"tags":[ "x" ]}}';
    const value = parseJsonWithSources(text) as { review: { payload: unknown; tags: unknown } };
    expect(sourceOf(value.review.payload)).toBe('{"amount":12345678901234567890,"rate":1.50,"b":1,"10":2}');
    expect(sourceOf(value.review.tags)).toBe('[ "x" ]');
    expect(sourceOf(value)).toBe(text);
    expect(sourceOf('plain')).toBeUndefined();
    expect(sourceOf(JSON.parse('{}'))).toBeUndefined();
  });

  it('keeps a "__proto__" key as an own property, like JSON.parse', () => {
    const value = parseJsonWithSources('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['', '{', '{"a":}', '{"a":1,}', '[1,]', '{a:1}', "{'a':1}", '01', '1.', '.5', '+1', 'tru', 'nul', '"unterminated', '"tab\tinside"', '{"a":1} x', '[1 2]', 'NaN', '"\\x"'])(
    'rejects %j like JSON.parse does',
    (text) => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(() => parseJsonWithSources(text)).toThrow(SyntaxError);
    },
  );
});

describe('formatJson', () => {
  it.each(samples)('indents like JSON.stringify(…, null, 2) when nothing is lossy: %s', (text) => {
    expect(formatJson(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
    expect(formatJson(text, 0)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it.each(escaped)('keeps escapes as written: %s', (text) => {
    expect(formatJson(text, 0)).toBe(text);
    expect(JSON.parse(formatJson(text))).toEqual(JSON.parse(text));
  });

  it('keeps numbers, key order and escapes byte for byte', () => {
    const text = '{"b":1, "10":2.50, "big":12345678901234567890, "s":"caf\\u00e9"}';
    expect(formatJson(text)).toBe('{\n  "b": 1,\n  "10": 2.50,\n  "big": 12345678901234567890,\n  "s": "caf\\u00e9"\n}');
    // What JSON.parse + JSON.stringify would have shown instead:
    expect(JSON.stringify(JSON.parse(text))).toBe('{"10":2.5,"b":1,"big":12345678901234567000,"s":"café"}');
  });
});

describe('prettyJson', () => {
  it('uses the exact source when there is one, JSON.stringify otherwise', () => {
    const parsed = parseJsonWithSources('{"n":1.0}');
    expect(prettyJson(parsed)).toBe('{\n  "n": 1.0\n}');
    expect(prettyJson({ n: 1 })).toBe('{\n  "n": 1\n}');
    expect(prettyJson('text')).toBe('"text"');
  });
});

describe('exactEntries', () => {
  it('gives members in source order with numbers as spelled', () => {
    const value = parseJsonWithSources('{"account":12345678901234567890,"amount":25.50,"10":"x","n":3,"dup":1,"dup":"last"}') as object;
    expect(exactEntries(value)).toEqual([
      { key: 'account', value: 12345678901234567890, raw: '12345678901234567890' },
      { key: 'amount', value: 25.5, raw: '25.50' },
      { key: '10', value: 'x' },
      { key: 'n', value: 3, raw: '3' },
      { key: 'dup', value: 'last' },
    ]);
    const arr = parseJsonWithSources('[ 1.0 , "a" ]') as object;
    expect(exactEntries(arr)).toEqual([
      { key: '0', value: 1, raw: '1.0' },
      { key: '1', value: 'a' },
    ]);
  });

  it('falls back to Object.entries order for plain values', () => {
    expect(exactEntries({ b: 1, 10: 2 })).toEqual([
      { key: '10', value: 2 },
      { key: 'b', value: 1 },
    ]);
  });
});
