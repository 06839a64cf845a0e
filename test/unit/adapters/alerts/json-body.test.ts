import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { formatPath, locateJsonError, parseJsonBody } from '../../../../src/adapters/alerts/json-body.js';

it('names the path and position of a syntax error', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{"alerts": [{"labels": {"a": }}]}', '$.alerts[0].labels.a', /expected a value, found '}'/],
    ['{"a": 1,}', '$.a', /expected a property name/],
    ['[1, 2,]', '$[2]', /expected a value/],
    ['{"a" 1}', '$.a', /expected ':'/],
    ['{"a": [1 2]}', '$.a[0]', /expected ',' or ']'/],
    ['{"a": "unterminated', '$.a', /unexpected end of input/],
    ['{"a": "bad \\x escape"}', '$.a', /invalid escape/],
    ['{"a": 01}', '$.a', /expected ',' or '}'/],
    ['{"a": -}', '$.a', /invalid number/],
    ['{"weird key": tru}', '$["weird key"]', /expected a value/],
    ['', '$', /unexpected end of input/],
    ['{} extra', '$', /unexpected data after the JSON value/],
    ['{"a": "line\nbreak"}', '$.a', /control character U\+000A/],
  ];
  for (const [text, path, message] of cases) {
    const result = parseJsonBody(text);
    assert.equal(result.ok, false, text);
    if (result.ok) continue;
    assert.equal(result.path, path, text);
    assert.match(result.message, message, text);
    assert.match(result.message, /line \d+, column \d+/);
  }
});

it('reports line and column for humans', () => {
  const located = locateJsonError('{\n  "a": 1,\n  "b": ]\n}');
  assert.deepEqual([located.path, located.line, located.column], ['$.b', 3, 8]);
});

it('locates an error in deeply nested input without overflowing the stack', () => {
  const text = `${'['.repeat(200_000)}x`;
  const located = locateJsonError(text);
  assert.match(located.path, /^\$(\[0\]){200000}$/);
});

it('formats paths as JSONPath', () => {
  assert.equal(formatPath([]), '$');
  assert.equal(formatPath(['alerts', 0, 'labels', 'a b', 'x"y']), '$.alerts[0].labels["a b"]["x\\"y"]');
});

it('agrees with JSON.parse on what is valid, and always names a path when it is not', () => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1)))), (text) => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const result = parseJsonBody(text);
      assert.equal(result.ok, valid);
      if (!result.ok) assert.match(result.path, /^\$/);
    }),
    { numRuns: 2_000 },
  );
});
