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
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()#][0-9A-Za-z]|\x1b[=>78DEHMc]|\^\[\[[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const NEEDS_CLEANING = /[\x00-\x08\x0b-\x1f\x7f]|\^\[\[/;
const GH_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
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
    const m = GH_TIMESTAMP.exec(text);
    if (m) text = text.slice(m[0].length);
  } else if (text.indexOf('\t') > 0 && text.indexOf('\t') < 200) {
    const m = GH_CLI_PREFIX.exec(text);
    if (m) {
      stepLabel = `${m[1]}\t${m[2]}`;
      text = text.slice(m[0].length);
    }
  }

  if (text.indexOf('travis_') !== -1) {
    const stripped = text.replace(TRAVIS_MARKER, '');
    if (stripped !== text) {
      text = stripped;
      travisMarker = true;
    }
  }

  if (text.indexOf('\r') !== -1) text = lastVisibleSegment(text);
  if (NEEDS_CLEANING.test(text)) {
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
