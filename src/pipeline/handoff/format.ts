/** Formatting shared by the handoff's headline and its renderers. Pure, no locale: the same input gives the same text. */

/** 1d 4h, 2h 5m, 3m, 40s. Two units at most: a handoff is read in a glance. */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const d = Math.floor(minutes / 1_440);
  const h = Math.floor((minutes % 1_440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  return m > 0 ? `${h}h ${m}m` : `${h}h`;
}

/** `2026-03-08 09:00 UTC`, `2026-03-08 09:00 CET`, `2026-03-08 14:00 EDT` (IANA zone names accepted). */
export function shortTime(ms: number, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zoneAbbreviation(ms, timeZone)}`;
}

/**
 * The zone's short name at that instant. ICU knows US names in en-US and
 * European ones in en-GB; elsewhere it falls back to an offset (GMT+9).
 */
function zoneAbbreviation(ms: number, timeZone: string): string {
  const name = (locale: string) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const us = name('en-US');
  if (!/^GMT[+-]/.test(us)) return us;
  const gb = name('en-GB');
  return /^GMT[+-]/.test(gb) ? us.replace(/^GMT/, 'UTC') : gb;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Cuts text to `max` characters on one line, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}
