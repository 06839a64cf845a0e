import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPitcrewError } from '../../../../src/domain/errors.js';
import { localToUtc, parseHandoffSince } from '../../../../src/pipeline/handoff/window.js';

const NOW = Date.parse('2026-03-29T10:00:00Z'); // 12:00 in Berlin, the day clocks went forward at 02:00
const HOUR = 3_600_000;

describe('handoff window (--since and /pitcrew handoff arguments)', () => {
  it('defaults to the last 12 hours; durations count back from now', () => {
    assert.deepEqual(parseHandoffSince(undefined, NOW), { from: NOW - 12 * HOUR, to: NOW });
    assert.deepEqual(parseHandoffSince('8h', NOW), { from: NOW - 8 * HOUR, to: NOW });
    assert.deepEqual(parseHandoffSince('1h30m', NOW), { from: NOW - 1.5 * HOUR, to: NOW });
    assert.deepEqual(parseHandoffSince('1d', NOW), { from: NOW - 24 * HOUR, to: NOW });
  });

  it('reads times: with a zone as given, without one in the configured zone, "since" optional', () => {
    assert.equal(parseHandoffSince('2026-03-28T18:00Z', NOW).from, Date.parse('2026-03-28T18:00:00Z'));
    assert.equal(parseHandoffSince('since 2026-03-28 18:00', NOW, 'Europe/Berlin').from, Date.parse('2026-03-28T17:00:00Z'), '18:00 CET');
    // 08:00 on the change day is CEST (UTC+2); yesterday's 18:00 was CET (UTC+1).
    assert.equal(parseHandoffSince('since 08:00', NOW, 'Europe/Berlin').from, Date.parse('2026-03-29T06:00:00Z'));
    assert.equal(parseHandoffSince('18:00', NOW, 'Europe/Berlin').from, Date.parse('2026-03-28T17:00:00Z'), 'the last 18:00, yesterday');
  });

  it('a wall time in the skipped hour maps to just after it; in the repeated hour to the first of the two', () => {
    assert.equal(localToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin'), Date.parse('2026-03-29T01:30:00Z'));
    assert.equal(localToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin'), Date.parse('2026-10-25T00:30:00Z'));
  });

  it('bad input is a clear input_invalid error with a hint', () => {
    for (const [input, message] of [['yesterday', /neither a duration nor a time/], ['2026-03-30T00:00Z', /not in the past/], ['40d', /more than 31 days/], ['25:00', /neither/]] as const) {
      assert.throws(() => parseHandoffSince(input, NOW), (error: unknown) => isPitcrewError(error, 'input_invalid') && message.test(error.message) && Boolean(error.hint));
    }
  });
});
