import { addLine, newBlock, type Block } from '../block.js';
import { classifyLine, type LineClass } from '../line-classifier.js';
import { RULES_BY_ID } from '../rules/index.js';
import { lineKind, type RepoProfile, type SpanPattern } from './profile.js';
import { lineTemplate, similarity, type Template } from './template.js';

/** A block found by a learned pattern. */
export interface LearnedBlock extends Block {
  learned: {
    pattern: SpanPattern;
    /** Of the first line to the learned first line. */
    similarity: number;
    /** Of the whole span to the learned span. */
    bodySimilarity: number;
    /** Strongest general-rule weight among the block's lines. */
    evidence: number;
    beforeMatched: boolean;
    afterMatched: boolean;
  };
}

const START_SIMILARITY = 0.7;
const PLAIN_START_SIMILARITY = 0.85;
const PLAIN_AFTER_BEFORE_SIMILARITY = 0.5;
const CONTEXT_SIMILARITY = 0.75;
const CONTINUE_SIMILARITY = 0.7;
const MAX_ACTIVE = 16;
const MAX_FOUND_PER_PATTERN = 24;
const RING = 96;

interface Active {
  block: LearnedBlock;
  pattern: SpanPattern;
  maxLength: number;
  pendingBlanks: number[];
}

interface RingEntry {
  n: number;
  text: string;
  cls: LineClass;
}

/**
 * Runs a repository's learned patterns over a log as it streams: a line
 * that looks like a learned span's first line (or follows a line that looks
 * like what preceded one) opens a candidate, which grows until the learned
 * "next line" shows up or the learned length is used up. Bounded: a few
 * active candidates and a ring of recent lines.
 */
export class LearnedMatcher {
  private readonly anchorRe: RegExp | null;
  private readonly active: Active[] = [];
  private readonly found: LearnedBlock[] = [];
  private readonly foundPerPattern = new Map<SpanPattern, number>();
  private readonly ring: RingEntry[] = [];
  /** Patterns whose "before" line was just seen: the next non-blank line starts them. */
  private armedByBefore: Array<{ pattern: SpanPattern; similarity: number }> = [];
  private seq = 1_000_000;

  /** First characters of learned "before" lines that have no word (separators like "- - - -"). */
  private readonly separatorLeads: Set<string>;

  constructor(private readonly profile: RepoProfile) {
    this.anchorRe = profile.anchors.length > 0 ? new RegExp(`(?:^|[^A-Za-z])(?:${profile.anchors.map(escape).join('|')})(?![a-z])`) : null;
    this.separatorLeads = new Set(profile.patterns.filter((p) => p.before && !p.beforeAnchor && p.beforeLead).map((p) => p.beforeLead!));
  }

  onLine(n: number, text: string, cls: LineClass, step: number): void {
    this.grow(n, text, cls);
    const blank = cls.role === 'blank';
    if (!blank) {
      const before = this.armedByBefore;
      this.armedByBefore = [];
      const anchored = this.anchorRe !== null && this.anchorRe.test(text);
      const lead = leadChar(text);
      const separatorCandidate = !anchored && this.separatorLeads.has(lead);
      const template = anchored || separatorCandidate ? lineTemplate(text) : null;
      // Kinds come from a warm classification, as in the profile, whatever the analyzer's state was.
      const kind = template || before.length > 0 ? lineKind(text) : '';
      const opened = new Set<SpanPattern>();
      for (const { pattern, similarity: s } of before) {
        if (kind !== pattern.startKind) {
          // A different first line between the same learned brackets (separator before, separator
          // after) is still that span, if it looks like an error at all.
          if (!pattern.after || classifyLine(text, true).weight < 2) continue;
          this.open(pattern, n, text, cls, step, 0.5, true);
          opened.add(pattern);
          continue;
        }
        const startSim = similarity(pattern.start, template ?? lineTemplate(text));
        // After the learned preceding line, an ordinary-looking first line must still resemble the learned one.
        if (kind === 'plain' && startSim < PLAIN_AFTER_BEFORE_SIMILARITY) continue;
        this.open(pattern, n, text, cls, step, kind === 'plain' ? startSim : Math.max(startSim, 0.5 + s / 4), true);
        opened.add(pattern);
      }
      if (template) {
        for (const pattern of this.profile.patterns) {
          if (!opened.has(pattern) && pattern.startAnchor && kind === pattern.startKind && text.includes(pattern.startAnchor)) {
            const s = similarity(pattern.start, template);
            if (s >= startThreshold(kind)) this.open(pattern, n, text, cls, step, s, false);
          }
          if (pattern.before && kind === pattern.beforeKind && (pattern.beforeAnchor ? text.includes(pattern.beforeAnchor) : leadChar(text) === pattern.beforeLead)) {
            const s = similarity(pattern.before, template);
            if (s >= CONTEXT_SIMILARITY) this.armedByBefore.push({ pattern, similarity: s });
          }
        }
      }
    }
    this.ring.push({ n, text, cls });
    if (this.ring.length > RING) this.ring.shift();
  }

  /** A failed step ended: patterns learned relative to that point apply here. */
  onFailedStepEnd(failureLine: number, step: number): void {
    for (const pattern of this.profile.patterns) {
      if (pattern.toStepFailure === undefined || pattern.toStepFailure > RING / 2 || pattern.length > RING / 2) continue;
      const end = failureLine - pattern.toStepFailure;
      const start = end - pattern.length + 1;
      const lines = this.ring.filter((e) => e.n >= start && e.n <= end);
      if (lines.length === 0 || this.found.some((b) => b.learned.pattern === pattern && b.start === start)) continue;
      const first = lines.find((e) => e.cls.role !== 'blank');
      const s = first ? similarity(pattern.start, lineTemplate(first.text)) : 0;
      const block = this.newLearned(pattern, step, s * 0.8, false);
      for (const e of lines) addLine(block, e.n, e.text, e.cls);
      this.keep(block);
    }
  }

  finish(): LearnedBlock[] {
    for (const a of [...this.active]) this.close(a, false);
    for (const block of this.found) {
      const lines = block.lines.filter((l) => l.role !== 'blank').slice(0, 30);
      const templates = lines.map((l) => lineTemplate(l.text));
      block.learned.bodySimilarity = bodySimilarity(block.learned.pattern.body, templates);
      block.learned.evidence = Math.max(0, ...lines.map((l) => classifyLine(l.text, true).weight));
    }
    return this.found;
  }

  private open(pattern: SpanPattern, n: number, text: string, cls: LineClass, step: number, s: number, beforeMatched: boolean): void {
    if (this.active.some((a) => a.pattern === pattern && a.block.start === n)) return;
    if (this.active.length >= MAX_ACTIVE) return;
    const block = this.newLearned(pattern, step, s, beforeMatched);
    addLine(block, n, text, cls);
    const active: Active = { block, pattern, maxLength: Math.max(pattern.length * 2, pattern.length + 3), pendingBlanks: [] };
    this.active.push(active);

  }

  private grow(n: number, text: string, cls: LineClass): void {
    for (const a of [...this.active]) {
      const pattern = a.pattern;
      if (cls.role === 'blank') {
        a.pendingBlanks.push(n);
        if (pattern.blankLines === 0 && a.block.lines.length >= pattern.length) this.close(a, false);
        continue;
      }
      const kind = lineKind(text);
      const template = lineTemplate(text);
      if (pattern.after && kind === pattern.afterKind && (kind !== 'plain' || similarity(pattern.after, template) >= CONTEXT_SIMILARITY)) {
        this.close(a, true);
        continue;
      }
      const length = a.block.end - a.block.start + 1 + a.pendingBlanks.length;
      if (length >= a.maxLength) {
        this.close(a, false);
        continue;
      }
      // Past the learned length, only lines like the learned ones (a longer list of the same errors) go on.
      if (length >= pattern.length && !pattern.body.some((b) => similarity(b, template) >= CONTINUE_SIMILARITY)) {
        this.close(a, false);
        continue;
      }
      for (const blank of a.pendingBlanks) addLine(a.block, blank, '', { role: 'blank', weight: 0, indent: -1 });
      a.pendingBlanks = [];
      addLine(a.block, n, text, cls);
    }
  }

  private close(a: Active, afterMatched: boolean): void {
    const i = this.active.indexOf(a);
    if (i !== -1) this.active.splice(i, 1);
    a.block.learned.afterMatched = afterMatched;
    this.keep(a.block);
  }

  /** Bounded per pattern, so one pattern matching everywhere cannot crowd out the others. */
  private keep(block: LearnedBlock): void {
    const pattern = block.learned.pattern;
    const count = this.foundPerPattern.get(pattern) ?? 0;
    if (count >= MAX_FOUND_PER_PATTERN) return;
    this.foundPerPattern.set(pattern, count + 1);
    this.found.push(block);
  }

  private newLearned(pattern: SpanPattern, step: number, s: number, beforeMatched: boolean): LearnedBlock {
    const block = newBlock(this.seq++, step, 0) as LearnedBlock;
    block.learned = { pattern, similarity: s, bodySimilarity: 0, evidence: 0, beforeMatched, afterMatched: false };
    return block;
  }
}

/**
 * How much the first line must resemble the learned one. A specific failure
 * header (a jest ●, an ExUnit "1) test", a Go "--- FAIL") is itself strong
 * evidence; its words name whichever test failed this time, so they may
 * differ. An ordinary-looking line is a weak anchor: ask for more.
 */
function startThreshold(kind: string): number {
  if (kind === 'plain') return PLAIN_START_SIMILARITY;
  const rule = RULES_BY_ID.get(kind);
  if (rule && rule.ecosystem !== 'generic' && rule.weight >= 4 && (rule.role === 'header' || rule.role === 'detail')) return 0.4;
  return START_SIMILARITY;
}

/** How well the learned lines are found among the candidate's lines (mean best match, first ten learned lines). */
function bodySimilarity(learned: Template[], found: Template[]): number {
  const wanted = learned.slice(0, 10);
  if (wanted.length === 0 || found.length === 0) return 0;
  let sum = 0;
  for (const w of wanted) {
    let best = 0;
    for (const f of found) best = Math.max(best, similarity(w, f));
    sum += best;
  }
  return sum / wanted.length;
}

function leadChar(text: string): string {
  const trimmed = text.trimStart();
  return trimmed.length > 0 ? trimmed[0]! : '';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
