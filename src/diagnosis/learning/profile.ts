import type { FailureCategory } from '../categories.js';
import { classifyLine } from '../line-classifier.js';
import type { ConfirmedExample } from './example.js';
import { anchorToken, lineTemplate, similarity, type Template } from './template.js';

/** How similar a line must be to a decoy to count as that noise. */
export const DECOY_MATCH = 0.85;

/**
 * What one confirmed span teaches: how its first line looks, what comes
 * right before and after it, how long it is and where it sits relative to
 * the failed step's end. Patterns, not text: they generalize to the next
 * failure of the same shape.
 */
export interface SpanPattern {
  example: number;
  span: number;
  start: Template;
  startAnchor?: string;
  /** How the general rules classify the first line (a FAILED line must not match a SKIPPED one). */
  startKind: string;
  /** The line just before the span (e.g. "=== FAILURES ===", "Issues :-("). */
  before?: Template;
  beforeAnchor?: string;
  beforeKind?: string;
  /** First character of the "before" line, for lines without a word to anchor on. */
  beforeLead?: string;
  /** The line just after it: where the span stops. */
  after?: Template;
  afterAnchor?: string;
  afterKind?: string;
  length: number;
  blankLines: number;
  toStepFailure?: number;
  category?: FailureCategory;
  /** Templates of the span's lines, to compare whole spans. */
  body: Template[];
  /** Strongest general-rule weight among the span's lines: how much it looked like an error. */
  evidence: number;
}

export interface RepoProfile {
  repo: string;
  examples: number;
  patterns: SpanPattern[];
  /** Every anchor token, for the one-regex prefilter of the matcher. */
  anchors: string[];
  /** Templates of lines the general rules picked in confirmed logs that were not the failure. */
  decoys: Template[];
  /** General-rule kinds (rule ids) of the confirmed lines: what this repository's failures look like. */
  kinds: string[];
}

/** The general rules' verdict on a line: its rule id, or its role when no rule matched. */
export function lineKind(text: string): string {
  const cls = classifyLine(text, true);
  return cls.rule?.id ?? cls.role;
}

export function buildProfile(repo: string, examples: ConfirmedExample[]): RepoProfile {
  const patterns: SpanPattern[] = [];
  examples.forEach((example, e) => {
    example.spans.forEach((span, s) => {
      const firstIndex = span.lines.findIndex((l) => l.trim() !== '');
      const first = firstIndex === -1 ? '' : span.lines[firstIndex]!;
      const start = lineTemplate(first);
      const pattern: SpanPattern = {
        example: e,
        span: s,
        start,
        startKind: lineKind(first),
        length: span.lineCount,
        blankLines: span.lines.filter((l) => l.trim() === '').length,
        body: span.lines.filter((l) => l.trim() !== '').slice(0, 30).map(lineTemplate),
        evidence: Math.max(0, ...span.lines.slice(0, 60).map((l) => classifyLine(l, true).weight)),
      };
      const startAnchor = anchorToken(start);
      if (startAnchor) pattern.startAnchor = startAnchor;
      const beforeLine = span.before[span.before.length - 1];
      if (beforeLine !== undefined && firstIndex === 0) {
        pattern.before = lineTemplate(beforeLine);
        pattern.beforeKind = lineKind(beforeLine);
        const lead = beforeLine.trimStart()[0];
        if (lead !== undefined) pattern.beforeLead = lead;
        const anchor = anchorToken(pattern.before);
        if (anchor) pattern.beforeAnchor = anchor;
      }
      const afterLine = span.after[0];
      if (afterLine !== undefined) {
        pattern.after = lineTemplate(afterLine);
        pattern.afterKind = lineKind(afterLine);
        const anchor = anchorToken(pattern.after);
        if (anchor) pattern.afterAnchor = anchor;
      }
      if (span.toStepFailure !== undefined) pattern.toStepFailure = span.toStepFailure;
      if (example.category) pattern.category = example.category;
      patterns.push(pattern);
    });
  });
  const anchors = new Set<string>();
  for (const p of patterns) {
    if (p.startAnchor) anchors.add(p.startAnchor);
    if (p.beforeAnchor) anchors.add(p.beforeAnchor);
  }
  // A decoy that is also the first line of a confirmed span is not noise in this repository.
  const decoys: Template[] = [];
  for (const example of examples) {
    for (const text of example.decoys ?? []) {
      const template = lineTemplate(text);
      if (template.length === 0 || patterns.some((p) => similarity(p.start, template) >= DECOY_MATCH)) continue;
      if (!decoys.some((d) => similarity(d, template) >= 0.98)) decoys.push(template);
    }
  }
  const kinds = new Set<string>();
  for (const example of examples) {
    for (const span of example.spans) {
      for (const line of span.lines.slice(0, 60)) {
        const kind = lineKind(line);
        if (kind !== 'plain' && kind !== 'blank' && kind !== 'context' && kind !== 'noise') kinds.add(kind);
      }
    }
  }
  return { repo, examples: examples.length, patterns, anchors: [...anchors], decoys, kinds: [...kinds] };
}
