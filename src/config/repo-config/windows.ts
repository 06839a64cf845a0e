import type { Risk } from '../../domain/action.js';
import type { ExecutionWindow, Weekday } from './schema.js';

/**
 * Execution windows: whether a merged plan of a given risk may run at `now`.
 * No windows, or none that applies to the risk, means any time. A window whose
 * end is before its start runs past midnight and belongs to the day it opens.
 */
export interface WindowVerdict {
  open: boolean;
  /** Why, in one line: which window is open, or which windows apply and are closed. */
  reason: string;
}

const DAY_INDEX: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
const ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function localTime(now: number, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '0';
  return { day: DAY_INDEX[get('weekday')] ?? 'mon', minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function describe(window: ExecutionWindow): string {
  const days = window.days.length === 7 ? 'daily' : window.days.join(',');
  return `${days} ${window.start}–${window.end} ${window.timezone}`;
}

export function isOpen(window: ExecutionWindow, now: number): boolean {
  const { day, minutes } = localTime(now, window.timezone);
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  if (start < end) return window.days.includes(day) && minutes >= start && minutes < end;
  // Overnight: open from start on a listed day, or before end on the day after a listed day.
  const yesterday = ORDER[(ORDER.indexOf(day) + 6) % 7]!;
  return (window.days.includes(day) && minutes >= start) || (window.days.includes(yesterday) && minutes < end);
}

export function executionWindowVerdict(windows: ExecutionWindow[], risk: Risk, now: number): WindowVerdict {
  const applicable = windows.filter((window) => !window.risks || window.risks.includes(risk));
  if (applicable.length === 0) return { open: true, reason: windows.length === 0 ? 'no execution windows are configured' : `no execution window applies to ${risk} risk` };
  const open = applicable.find((window) => isOpen(window, now));
  if (open) return { open: true, reason: `inside the execution window ${describe(open)}` };
  return { open: false, reason: `outside the execution windows for ${risk} risk (${applicable.map(describe).join('; ')})` };
}
