/**
 * Per-line normalization of CI logs: what a human sees in the log viewer,
 * minus the machinery. Removes ANSI escapes (real and caret-escaped "^[[31m"),
 * timestamps, GitHub Actions workflow-command markers, Travis fold/timer
 * markers, progress bars redrawn with "\r" or backspaces, and other control
 * characters. Cheap on the common path: most lines need none of it.
 */

export type GhCommand = 'group' | 'endgroup' | 'error' | 'warning' | 'notice' | 'debug' | 'command';

export interface NormalizedLine {
  /** The visible text. */
  text: string;
  /** A GitHub Actions `##[group]`/`##[error]`/`::error::` marker on this line. */
  gh?: GhCommand;
  /** `gh run view --log` prefix: "<job>\t<step>\t<timestamp> ". */
  stepLabel?: string;
  /** The line only carried Travis fold/timer markers. */
  travisMarker?: boolean;
}

// CSI (ESC [ params intermediates final), OSC (ESC ] ... BEL|ST), and two-byte escapes.
// Matching control characters is the point of these two expressions.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()#][0-9A-Za-z]|\x1b[=>78DEHMc]|\^\[\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const GH_CLI_PREFIX = /^([^\t]{1,200})\t([^\t]{0,300})\t(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?)/;
const CLOCK_PREFIX = /^\[\d\d:\d\d:\d\d(?:\.\d+)?\] /;
const TRAVIS_MARKER = /travis_(?:fold|time):(?:start|end):[^\r\s]*/g;
const GH_MARKER = /^##\[(group|endgroup|error|warning|notice|debug|command)\]/;
const GH_WORKFLOW_COMMAND = /^::(error|warning|notice|debug|group|endgroup)(?: [^:]*)?::/;

export function normalizeLine(raw: string): NormalizedLine {
  let text = raw;
  let stepLabel: string | undefined;
  let travisMarker = false;

  // Timestamps first: they sit before everything else.
  const c0 = text.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 84) {
    const end = timestampEnd(text);
    if (end > 0) text = text.slice(end);
  } else if (text.indexOf('\t') > 0 && text.indexOf('\t') < 200) {
    const m = GH_CLI_PREFIX.exec(text);
    if (m) {
      stepLabel = `${m[1]}\t${m[2]}`;
      text = text.slice(m[0].length);
    }
  }

  // Travis markers sit at the start of a line or of a "\r"-separated segment.
  const hasCr = text.indexOf('\r') !== -1;
  if ((hasCr || text.charCodeAt(0) === 116) && text.indexOf('travis_') !== -1) {
    const stripped = text.replace(TRAVIS_MARKER, '');
    if (stripped !== text) {
      text = stripped;
      travisMarker = true;
    }
  }

  if (hasCr) text = lastVisibleSegment(text);
  // Only lines with escapes or backspaces are cleaned here; other control bytes are harmless to
  // matching and are removed when text is rendered (see sanitizeForDisplay).
  if (text.indexOf('\x1b') !== -1 || text.indexOf('\b') !== -1 || text.indexOf('^[[') !== -1) {
    text = text.replace(ANSI, '');
    if (text.indexOf('\b') !== -1) text = applyBackspaces(text);
    text = text.replace(CONTROL, '');
  }
  if (travisMarker && text.trim() !== '') travisMarker = false;

  let gh: GhCommand | undefined;
  const c = text.charCodeAt(0);
  if (c === 35 /* # */ && text.startsWith('##[')) {
    const m = GH_MARKER.exec(text);
    if (m) {
      gh = m[1] as GhCommand;
      text = text.slice(m[0].length);
    }
  } else if (c === 58 /* : */ && text.charCodeAt(1) === 58) {
    const m = GH_WORKFLOW_COMMAND.exec(text);
    if (m) {
      gh = m[1] as GhCommand;
      text = text.slice(m[0].length);
    }
  } else if (c === 91 /* [ */) {
    const m = CLOCK_PREFIX.exec(text);
    if (m) text = text.slice(m[0].length);
  }
  const out: NormalizedLine = { text };
  if (gh) out.gh = gh;
  if (stepLabel !== undefined) out.stepLabel = stepLabel;
  if (travisMarker) out.travisMarker = true;
  return out;
}

/**
 * Length of a leading ISO-8601 UTC timestamp ("2026-04-22T16:11:48.3180578Z ")
 * including the space after it, or 0. Hand-rolled: it runs on every line.
 */
function timestampEnd(text: string): number {
  if (text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return 0;
  for (const i of DIGITS_AT) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
  }
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    i++;
    while (i < text.length && i < 40) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
  }
  if (text.charCodeAt(i) !== 90) return 0;
  i++;
  return text.charCodeAt(i) === 32 ? i + 1 : i;
}
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** A line redrawn with "\r" shows its last non-empty segment, as a terminal would. */
function lastVisibleSegment(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  const trimmed = end === text.length ? text : text.slice(0, end);
  if (trimmed.indexOf('\r') === -1) return trimmed;
  const segments = trimmed.split('\r');
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (segment.replace(ANSI, '').trim() !== '') return segment;
  }
  return '';
}

function applyBackspaces(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('');
}

/** Text safe to show in a terminal or a Markdown code block: no control characters but tab. */
export function sanitizeForDisplay(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

/** Leading whitespace width (tabs count as 4). */
export function indentOf(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) width++;
    else if (c === 9) width += 4;
    else return width;
  }
  return -1; // blank
}
