import { PitcrewError } from '../../domain/errors.js';
import type { HandoffWindow } from './model.js';

/** The window when none is asked for: the usual length of a shift. */
export const DEFAULT_HANDOFF_HOURS = 12;
const MAX_WINDOW_MS = 31 * 86_400_000;
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The window a user asked for, ending now:
 *  - nothing: the last 12 hours;
 *  - a duration: `12h`, `90m`, `1d`, `1h30m`;
 *  - a time, optionally after `since`: `2026-03-08T18:00Z`, `2026-03-08 18:00`
 *    (local to `timeZone`), or `18:00` (the last time the clock read 18:00 there).
 * Used by the CLI's `--since` and by `/pitcrew handoff [12h | since <time>]`.
 */
export function parseHandoffSince(input: string | undefined, now: number, timeZone = 'UTC'): HandoffWindow {
  const text = (input ?? '').trim().replace(/^since\s+/i, '').trim();
  if (text === '') return { from: now - DEFAULT_HANDOFF_HOURS * 3_600_000, to: now };
  const from = /^(\d+[mhdw])+$/i.test(text) ? now - durationMs(text) : parseTime(text, now, timeZone);
  if (from === null) {
    throw new PitcrewError('input_invalid', `"${text.slice(0, 60)}" is neither a duration nor a time`,
      'Give a duration such as 12h, 90m or 1d, or a time such as 18:00, "2026-03-08 18:00" or 2026-03-08T18:00Z.');
  }
  if (from >= now) throw new PitcrewError('input_invalid', `"${text.slice(0, 60)}" is not in the past`, 'The handoff covers from that time until now; give an earlier time.');
  if (now - from > MAX_WINDOW_MS) throw new PitcrewError('input_invalid', `"${text.slice(0, 60)}" reaches back more than 31 days`, 'A handoff covers a shift; give a window of 31 days or less.');
  return { from, to: now };
}

function durationMs(text: string): number {
  return [...text.toLowerCase().matchAll(/(\d+)([mhdw])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0);
}

function parseTime(text: string, now: number, timeZone: string): number | null {
  // An explicit instant (Z or an offset) needs no time zone.
  if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  const local = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?$/.exec(text);
  if (local) {
    const [, y, mo, d, h = '00', mi = '00'] = local;
    return localToUtc({ year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi }, timeZone);
  }
  const clock = /^(\d{1,2}):(\d\d)$/.exec(text);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    if (hour > 23 || minute > 59) return null;
    const today = wallClock(now, timeZone);
    let at = localToUtc({ ...today, hour, minute }, timeZone);
    // The last time it was that o'clock: yesterday's when today's is still ahead.
    if (at !== null && at > now) at = localToUtc({ ...wallClock(now - 86_400_000, timeZone), hour, minute }, timeZone);
    return at;
  }
  return null;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock time at `ms` in `timeZone`. */
export function wallClock(ms: number, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/**
 * The instant a wall-clock time names in `timeZone`. In the hour skipped at a
 * spring-forward change it gives the instant just after; in the repeated
 * hour at fall-back, the first of the two.
 */
export function localToUtc(wall: WallTime, timeZone: string): number | null {
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59) return null;
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (ms: number) => {
    const w = wallClock(ms, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  // Two candidates, from the offsets around the time; prefer the earlier that reads back right.
  const candidates = [asUtc - offsetAt(asUtc - 86_400_000), asUtc - offsetAt(asUtc + 86_400_000)].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const w = wallClock(candidate, timeZone);
    if (w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute) return candidate;
  }
  return candidates[1]!;
}
