import { z } from 'zod/v4';
import { PitcrewError } from '../../domain/errors.js';
import { detach } from '../block.js';
import { FailureCategory } from '../categories.js';
import { splitLines, type LineBreaks } from '../line-splitter.js';
import type { LogSource } from '../log-source.js';
import { normalizeLine } from '../normalize.js';
import { StepTracker } from '../steps.js';

/** What is kept of one confirmed span: its lines and their surroundings, never the whole log. */
export const ConfirmedSpan = z.object({
  start: z.number().int().min(1),
  end: z.number().int().min(1),
  /** The span's normalized lines (at most MAX_SPAN_LINES; `lineCount` has the true length). */
  lines: z.array(z.string()),
  lineCount: z.number().int().min(1),
  /** Nearest non-blank lines before and after the span. */
  before: z.array(z.string()),
  after: z.array(z.string()),
  /** Lines from the span's end to the line that marked its step failed, when one did. */
  toStepFailure: z.number().int().optional(),
  stepName: z.string().optional(),
});
export type ConfirmedSpan = z.infer<typeof ConfirmedSpan>;

export const ConfirmedExample = z.object({
  repo: z.string().min(1),
  category: FailureCategory.optional(),
  spans: z.array(ConfirmedSpan).min(1),
  logLines: z.number().int().min(0),
  /**
   * Lines the general rules would have picked in this log although the
   * human confirmed others: this repository's noise (a retried download, a
   * usage text, a summary of passed tests). Redacted like the spans.
   */
  decoys: z.array(z.string()).max(40).optional(),
});
export type ConfirmedExample = z.infer<typeof ConfirmedExample>;

const MAX_SPAN_LINES = 120;
const CONTEXT = 3;

export interface CaptureOptions {
  repo: string;
  spans: Array<{ start_line: number; end_line: number }>;
  category?: FailureCategory;
  lineBreaks?: LineBreaks;
  /** Secret redaction, applied to every kept line before it is stored. */
  redact?: (text: string) => string;
  /** Sees every raw line too (the general analyzer runs in the same pass to find decoys). */
  onLine?: (raw: string, n: number) => void;
}

/**
 * Streams a log once and keeps what learning needs from the confirmed spans:
 * their lines, a little context on each side and where they sit relative
 * to the failed step.
 */
export async function captureExample(source: LogSource, options: CaptureOptions): Promise<ConfirmedExample> {
  const redact = options.redact ?? ((t: string) => t);
  const ranges = mergeRanges(options.spans.map((s) => [s.start_line, Math.max(s.start_line, s.end_line)] as [number, number]));
  const spans = ranges.map(([start, end]) => ({ start, end, lines: [] as string[], before: [] as string[], after: [] as string[], lineCount: end - start + 1, step: -1 }));
  const tracker = new StepTracker();
  const recent: string[] = [];
  const failures = new Map<number, number>();
  let stepAtLine = 0;
  const stepOfSpan = new Map<number, number>();
  const { lines } = await splitLines(source.chunks, options.lineBreaks ?? 'lf', (raw, n) => {
    options.onLine?.(raw, n);
    const norm = normalizeLine(raw);
    const before = tracker.currentIndex;
    if (tracker.push(n, norm)) failures.set(before, n);
    stepAtLine = tracker.currentIndex;
    const text = norm.text;
    for (const [i, span] of spans.entries()) {
      if (n === span.start) {
        span.before = recent.slice(-CONTEXT).map((t) => detach(redact(t)));
        stepOfSpan.set(i, stepAtLine);
      }
      if (n >= span.start && n <= span.end && span.lines.length < MAX_SPAN_LINES) span.lines.push(detach(redact(text)));
      if (n > span.end && span.after.length < CONTEXT && text.trim() !== '') span.after.push(detach(redact(text)));
    }
    if (text.trim() !== '') {
      recent.push(text);
      if (recent.length > CONTEXT) recent.shift();
    }
  });
  const steps = tracker.finishLog(lines);
  const kept: ConfirmedSpan[] = [];
  for (const [i, span] of spans.entries()) {
    if (span.lines.length === 0) continue; // the span is past the end of this log
    const stepIndex = tracker.stepAt(span.start);
    const step = steps[stepIndex];
    const failureLine = step?.failureLine ?? failures.get(stepOfSpan.get(i) ?? -1);
    const out: ConfirmedSpan = { start: span.start, end: Math.min(span.end, lines), lines: span.lines, lineCount: Math.min(span.end, lines) - span.start + 1, before: span.before, after: span.after };
    if (failureLine !== undefined && failureLine >= span.end) out.toStepFailure = failureLine - span.end;
    if (step?.name) out.stepName = detach(step.name.slice(0, 200));
    kept.push(out);
  }
  if (kept.length === 0) {
    throw new PitcrewError('input_invalid', `The confirmed lines (${ranges.map(([a, b]) => `${a}-${b}`).join(', ')}) are past the end of ${source.name} (${lines} lines).`,
      'Confirm line numbers from this log; `pitcrew diagnose-log` prints them.');
  }
  return ConfirmedExample.parse({ repo: options.repo, spans: kept, logLines: lines, ...(options.category ? { category: options.category } : {}) });
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else out.push([...range]);
  }
  return out;
}
