import type { z } from 'zod/v4';

/**
 * JSON bodies with errors that say where: `$.alerts[0].status`. A syntax
 * error is located by a small scanner (JSON.parse does not always say where),
 * a schema error by the path of zod's first issue.
 */
export interface BodyProblem {
  /** JSONPath of the first problem, `$` for the whole document. */
  path: string;
  message: string;
}

export type JsonResult = { ok: true; value: unknown } | ({ ok: false } & BodyProblem);

export function parseJsonBody(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const located = locateJsonError(text);
    return { ok: false, path: located.path, message: `malformed JSON at ${located.path}: ${located.message} (line ${located.line}, column ${located.column})` };
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

type Issue = z.core.$ZodIssue;

/** The first issue of a zod error, as a path and a message that names it. */
export function firstIssue(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): BodyProblem {
  const issue = error.issues[0];
  if (!issue) return { path: formatPath(prefix), message: 'invalid' };
  const { path: inner, message } = explain(issue);
  const path = formatPath([...prefix, ...inner]);
  return { path, message: `${path}: ${message}` };
}

/**
 * For a union ("string or number") zod only says "Invalid input"; say what the
 * branch whose type matched objects to, or list the types expected.
 */
function explain(issue: Issue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path: [...issue.path], message: issue.message };
  const branches = issue.errors.map((branch) => branch[0]).filter((first): first is Issue => first !== undefined);
  const matched = branches.find((first) => first.code !== 'invalid_type');
  if (matched) {
    const nested = explain(matched);
    return { path: [...issue.path, ...nested.path], message: nested.message };
  }
  const expected = [...new Set(branches.map((first) => (first.code === 'invalid_type' ? first.expected : undefined)).filter(Boolean))];
  return { path: [...issue.path], message: expected.length > 0 ? `Invalid input: expected ${expected.join(' or ')}` : issue.message };
}

type Frame = { kind: 'object'; key: string | undefined } | { kind: 'array'; index: number };

interface Located {
  path: string;
  message: string;
  position: number;
  line: number;
  column: number;
}

/**
 * Finds the first syntax error in `text` and the JSONPath of the value being
 * read there. Iterative, so deeply nested input cannot overflow the stack.
 */
export function locateJsonError(text: string): Located {
  const stack: Frame[] = [];
  let i = 0;
  const fail = (message: string): Located => {
    const path = formatPath(stack.flatMap((frame): PropertyKey[] => (frame.kind === 'array' ? [frame.index] : frame.key === undefined ? [] : [frame.key])));
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    return { path, message: i >= text.length ? `unexpected end of input, ${message}` : `${message}, found ${describeChar(text[i]!)}`, position: i, line, column };
  };
  const skipWhitespace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const readString = (): string | Located => {
    // text[i] is the opening quote.
    const start = i;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('expected four hex digits after \\u');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          i += 2;
        } else {
          i++;
          return fail('invalid escape in string');
        }
        continue;
      }
      if (c < 0x20) return fail('unescaped control character in string');
      i++;
    }
    return fail('unterminated string');
  };
  const readNumber = (): Located | undefined => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '-' || match[0].length === 0) return fail('invalid number');
    i += match[0].length;
    return undefined;
  };

  // Modes: expecting a value, or expecting what follows a value in the container on top.
  let expectValue = true;
  for (;;) {
    skipWhitespace();
    if (expectValue) {
      const c = text[i];
      if (c === '{') {
        i++;
        skipWhitespace();
        if (text[i] === '}') {
          i++;
          expectValue = false;
          if (stack.length === 0) break;
          continue;
        }
        stack.push({ kind: 'object', key: undefined });
        const keyError = readKey();
        if (keyError) return keyError;
        continue;
      }
      if (c === '[') {
        i++;
        skipWhitespace();
        if (text[i] === ']') {
          i++;
          expectValue = false;
          if (stack.length === 0) break;
          continue;
        }
        stack.push({ kind: 'array', index: 0 });
        continue;
      }
      if (c === '"') {
        const result = readString();
        if (typeof result !== 'string') return result;
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        const error = readNumber();
        if (error) return error;
      } else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else return fail('expected a value');
      expectValue = false;
      if (stack.length === 0) break;
      continue;
    }
    const top = stack[stack.length - 1]!;
    const c = text[i];
    if (top.kind === 'array') {
      if (c === ',') {
        i++;
        top.index++;
        expectValue = true;
        continue;
      }
      if (c === ']') {
        i++;
        stack.pop();
        if (stack.length === 0) break;
        continue;
      }
      return fail("expected ',' or ']'");
    }
    if (c === ',') {
      i++;
      const keyError = readKey();
      if (keyError) return keyError;
      continue;
    }
    if (c === '}') {
      i++;
      stack.pop();
      if (stack.length === 0) break;
      continue;
    }
    return fail("expected ',' or '}'");
  }
  skipWhitespace();
  if (i < text.length) return fail('unexpected data after the JSON value');
  // The scanner found nothing wrong, but JSON.parse did (e.g. a lone surrogate it rejects): report the whole document.
  i = 0;
  stack.length = 0;
  return fail('invalid JSON');

  /** Reads `"key" :` into the object on top of the stack; leaves the scanner expecting its value. */
  function readKey(): Located | undefined {
    skipWhitespace();
    if (text[i] !== '"') return fail('expected a property name in double quotes');
    const key = readString();
    if (typeof key !== 'string') return key;
    (stack[stack.length - 1] as { key: string | undefined }).key = key;
    skipWhitespace();
    if (text[i] !== ':') return fail("expected ':' after the property name");
    i++;
    expectValue = true;
    return undefined;
  }
}

function describeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${c}'`;
}
