/**
 * Characters that make text look different from what it is: C0/C1 controls
 * (except tab and newline), bidirectional overrides and isolates (the
 * "Trojan Source" trick), and zero-width characters that hide inside words.
 * Identifiers that reach an action must contain none of them; prose shown to
 * humans has them removed or rejected (see `PlainText`).
 */
// eslint-disable-next-line no-control-regex
export const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
// eslint-disable-next-line no-control-regex
const INVISIBLE_OR_CONTROL_GLOBAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

export function hasInvisibleOrControl(text: string): boolean {
  return INVISIBLE_OR_CONTROL.test(text);
}

/** Removes invisible and control characters (keeps tab and newline). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_OR_CONTROL_GLOBAL, '');
}

/** Names the first offending character, for error messages: `U+202E`. */
export function firstInvisible(text: string): string | undefined {
  const match = INVISIBLE_OR_CONTROL.exec(text);
  return match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}
