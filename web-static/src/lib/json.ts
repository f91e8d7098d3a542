// Exact JSON: a reviewer must see the payload exactly as the server stores it, and an edit must send exactly what
// was typed. JSON.parse + JSON.stringify is lossy (integers above 2^53 lose digits, 1.50 becomes 1.5, "10" keys
// jump ahead of "b", duplicate keys collapse), so review responses are parsed with a parser that also remembers
// each object's and array's source text, and that text is re-indented token by token, never re-serialized.

const sources = new WeakMap<object, string>();
/** Per parsed object/array: member keys in source order, and the source spelling of each number member. */
const members = new WeakMap<object, { keys: string[]; numbers: Map<string, string> }>();

/** The exact source text an object or array was parsed from by {@link parseJsonWithSources}, if it was. */
export function sourceOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? sources.get(value) : undefined;
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: readonly [string, boolean | null][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/**
 * The entries of a parsed object (or array: keys are indexes) in source order, each number with its exact source
 * spelling (`12345678901234567890`, `1.50`); for other values, or values not from {@link parseJsonWithSources},
 * Object.entries order and no spelling.
 */
export function exactEntries(value: object): { key: string; value: unknown; raw?: string }[] {
  const info = members.get(value);
  const record = value as Record<string, unknown>;
  const keys = info ? [...new Set(info.keys)] : Object.keys(value);
  return keys.map((key) => {
    const raw = info?.numbers.get(key);
    return raw === undefined ? { key, value: record[key] } : { key, value: record[key], raw };
  });
}

/**
 * Parses like JSON.parse (same values, same errors for invalid input: a SyntaxError) and records the source text of
 * every object and array, readable with {@link sourceOf}.
 */
export function parseJsonWithSources(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} in JSON at position ${i}`);
  };
  const skipWs = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const parseString = (): string => {
    const token = match(STRING);
    if (token === null) return fail(i < text.length ? 'Bad string' : 'Unexpected end');
    return JSON.parse(token) as string;
  };
  const put = (obj: Record<string, unknown>, key: string, value: unknown) => {
    // defineProperty, not assignment: a "__proto__" key must become an own property, as with JSON.parse.
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  };

  const parseValue = (depth: number): unknown => {
    if (depth > 512) fail('Nesting too deep');
    skipWs();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const info = { keys: [] as string[], numbers: new Map<string, string>() };
      skipWs();
      if (text[i] === '}') {
        i++;
      } else {
        for (;;) {
          skipWs();
          if (text[i] !== '"') fail('Expected a property name');
          const key = parseString();
          skipWs();
          if (text[i] !== ':') fail("Expected ':'");
          i++;
          skipWs();
          const at = i;
          const member = parseValue(depth + 1);
          put(obj, key, member);
          info.keys.push(key);
          if (typeof member === 'number') info.numbers.set(key, text.slice(at, i));
          else info.numbers.delete(key); // a duplicate key: the last value wins, as with JSON.parse
          skipWs();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail("Expected ',' or '}'");
        }
      }
      sources.set(obj, text.slice(start, i));
      members.set(obj, info);
      return obj;
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      const info = { keys: [] as string[], numbers: new Map<string, string>() };
      skipWs();
      if (text[i] === ']') {
        i++;
      } else {
        for (;;) {
          skipWs();
          const at = i;
          const item = parseValue(depth + 1);
          info.keys.push(String(arr.length));
          if (typeof item === 'number') info.numbers.set(String(arr.length), text.slice(at, i));
          arr.push(item);
          skipWs();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail("Expected ',' or ']'");
        }
      }
      sources.set(arr, text.slice(start, i));
      members.set(arr, info);
      return arr;
    }
    if (c === '"') return parseString();
    for (const [word, literal] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return literal;
      }
    }
    const num = match(NUMBER);
    if (num !== null) return Number(num);
    return fail(i < text.length ? `Unexpected token '${text[i]}'` : 'Unexpected end');
  };

  const value = parseValue(0);
  skipWs();
  if (i < text.length) fail(`Unexpected non-whitespace character '${text[i]}' after JSON`);
  return value;
}

/**
 * Re-indents valid JSON text without re-serializing it: strings, numbers and key order stay byte for byte.
 * `indent` 0 gives the compact form. The input must be valid JSON (check it with JSON.parse first).
 */
export function formatJson(text: string, indent = 2): string {
  const pad = (level: number) => (indent > 0 ? '\n' + ' '.repeat(indent * level) : '');
  let out = '';
  let level = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c === '{' || c === '[') {
      let j = i + 1;
      while (j < text.length && ' \n\r\t'.includes(text[j]!)) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      level++;
      out += c + pad(level);
    } else if (c === '}' || c === ']') {
      level--;
      out += pad(level) + c;
    } else if (c === ',') {
      out += ',' + pad(level);
    } else if (c === ':') {
      out += indent > 0 ? ': ' : ':';
    } else {
      out += c;
    }
    i++;
  }
  return out;
}

/** Pretty JSON of a value: its exact source, re-indented, when it came from {@link parseJsonWithSources}. */
export function prettyJson(value: unknown, indent = 2): string {
  const source = sourceOf(value);
  if (source !== undefined) return formatJson(source, indent);
  return JSON.stringify(value, null, indent) ?? String(value);
}
