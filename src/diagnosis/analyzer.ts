import { addLine, computeStrength, detach, newBlock, trimBlock, type Block } from './block.js';
import type { FailureCategory } from './categories.js';
import { classifyLine, PREFILTER, PREFILTER_SYMBOLS, type LineClass } from './line-classifier.js';
import { LearnedMatcher, type LearnedBlock } from './learning/matcher.js';
import type { RepoProfile } from './learning/profile.js';
import type { Template } from './learning/template.js';
import { normalizeLine } from './normalize.js';
import type { Ecosystem } from './rules/index.js';
import { StepTracker, type Step } from './steps.js';

/** What the streaming pass keeps: candidate blocks, steps and signals, never the whole log. */
export interface AnalysisState {
  blocks: Block[];
  steps: Step[];
  /** GitHub `##[error]` annotations, by line (bounded). */
  annotations: Array<{ n: number; text: string; step: number }>;
  /** Strong category signals per step (weight ≥ 5 rules), with one example line each. */
  stepSignals: Map<number, Partial<Record<FailureCategory, { weight: number; n: number; text: string }>>>;
  ecosystems: Partial<Record<Ecosystem, number>>;
  lines: number;
  /** Blocks found by the repository's learned patterns (empty without a profile). */
  learned: LearnedBlock[];
  /** The repository's learned noise (line templates), empty without a profile. */
  decoys: Template[];
  /** Rule ids of lines this repository confirmed as failures, empty without a profile. */
  kinds: string[];
}

/** A recent line. Quiet lines are kept raw and normalized only if someone looks back at them. */
interface RingEntry {
  n: number;
  step: number;
  raw?: string;
  text?: string;
  cls?: LineClass;
}

function entryText(entry: RingEntry): string {
  entry.text ??= normalizeLine(entry.raw ?? '').text;
  return entry.text;
}

function entryClass(entry: RingEntry): LineClass {
  entry.cls ??= classifyLine(entryText(entry), false);
  return entry.cls;
}

/**
 * Markers of structure the step tracker needs (GitHub `##[…]`/`::…::`, Travis
 * `$ command` and `"…" exited with`, `gh run view` columns, post-job cleanup):
 * a line with none of them and no prefilter word is quiet.
 */
const STRUCTURE_OR_SYMBOL = new RegExp(`##\\[|::|" |\\$ |\\t|Post job cleanup|${PREFILTER_SYMBOLS.source}`);

const RING_SIZE = 8;
/** Candidate blocks kept: the most recent ones and the strongest ones. */
const KEEP_RECENT = 64;
const KEEP_BEST = 64;
const MAX_ANNOTATIONS = 200;
/** After a strong line, keep looking at every line for this long (siblings, keyword-less headers). */
const ARM_AFTER_STRONG = 200;
/** Evidence strength of "the last lines before the step failed", when nothing better was seen. */
const TAIL_STRENGTH = 1.5;

/**
 * One pass over a log, line by line, in bounded memory: a ring of the last
 * few lines, the block being built, and a capped set of candidate blocks.
 */
export class LogAnalyzer {
  private readonly tracker = new StepTracker();
  private readonly ring: RingEntry[] = [];
  private open: Block | null = null;
  private pendingBlanks: number[] = [];
  private armed = 0;
  private seq = 0;
  private recent: Block[] = [];
  private best: Block[] = [];
  private readonly annotations: AnalysisState['annotations'] = [];
  private readonly stepSignals: AnalysisState['stepSignals'] = new Map();
  private readonly ecosystems: AnalysisState['ecosystems'] = {};
  private lineCount = 0;
  private readonly matcher: LearnedMatcher | null;
  private readonly decoys: Template[];
  private readonly kinds: string[];

  constructor(options: { profile?: RepoProfile } = {}) {
    this.matcher = options.profile && options.profile.patterns.length > 0 ? new LearnedMatcher(options.profile) : null;
    this.decoys = options.profile?.decoys ?? [];
    this.kinds = options.profile?.kinds ?? [];
  }

  push(raw: string, n: number): void {
    this.lineCount = n;
    // The common case: nothing open, nothing armed, no keyword, no structure. Skip normalizing it.
    if (this.open === null && this.armed === 0 && this.matcher === null && !PREFILTER.test(raw) && !STRUCTURE_OR_SYMBOL.test(raw)) {
      this.tracker.touch(n);
      this.remember({ n, raw, step: this.tracker.currentIndex });
      return;
    }
    const norm = normalizeLine(raw);
    const stepBefore = this.tracker.currentIndex;
    const endedFailedStep = this.tracker.push(n, norm);
    const step = endedFailedStep ? stepBefore : this.tracker.currentIndex;
    const text = norm.text;
    let cls = classifyLine(text, this.open !== null || this.armed > 0);
    if (norm.gh === 'error') {
      if (this.annotations.length < MAX_ANNOTATIONS) this.annotations.push({ n, text: detach(text.slice(0, 500)), step });
      if (cls.role === 'plain' || cls.weight < 2) cls = { ...cls, role: cls.role === 'summary' ? 'summary' : 'detail', weight: Math.max(cls.weight, cls.role === 'summary' ? 1 : 2) };
    } else if (norm.gh === 'group' || norm.gh === 'endgroup') {
      cls = { role: 'boundary', weight: 0, indent: 0 };
    } else if (norm.travisMarker && cls.role === 'blank') {
      cls = { role: 'boundary', weight: 0, indent: 0 };
    }

    if (this.armed > 0) this.armed--;
    const rule = cls.rule;
    if (rule?.arms) this.armed = Math.max(this.armed, rule.arms);
    else if (cls.role === 'header' || cls.weight >= 5) this.armed = Math.max(this.armed, ARM_AFTER_STRONG);
    if (rule && cls.weight > 0) {
      this.ecosystems[rule.ecosystem] = (this.ecosystems[rule.ecosystem] ?? 0) + 1;
      if (rule.category && cls.weight >= 5) this.signal(step, rule.category, cls.weight, n, text);
    }

    this.feed(n, text, cls, step);
    this.matcher?.onLine(n, text, cls, step);
    if (endedFailedStep) {
      this.closeOpen();
      this.matcher?.onFailedStepEnd(n, step);
    }
    this.remember({ n, text, cls, step });
    if (endedFailedStep) this.tailCandidate(step, n);
  }

  private remember(entry: RingEntry): void {
    this.ring.push(entry);
    if (this.ring.length > RING_SIZE) this.ring.shift();
  }

  finish(): AnalysisState {
    this.closeOpen();
    const steps = this.tracker.finishLog(this.lineCount);
    const seen = new Set<Block>();
    const blocks = [...this.recent, ...this.best].filter((b) => (seen.has(b) ? false : (seen.add(b), true))).sort((a, b) => a.start - b.start);
    // Step starts can move back once a step's end is seen (Travis), so place blocks by line now.
    for (const block of blocks) block.step = this.tracker.stepAt(block.start);
    for (const annotation of this.annotations) annotation.step = this.tracker.stepAt(annotation.n);
    const learned = this.matcher?.finish() ?? [];
    for (const block of learned) {
      block.step = this.tracker.stepAt(block.start);
      block.strength = computeStrength(block);
    }
    return { blocks, steps, annotations: this.annotations, stepSignals: this.stepSignals, ecosystems: this.ecosystems, lines: this.lineCount, learned, decoys: this.decoys, kinds: this.kinds };
  }

  private feed(n: number, text: string, cls: LineClass, step: number): void {
    const open = this.open;
    if (open) {
      if (cls.role === 'blank') {
        this.pendingBlanks.push(n);
        if (this.pendingBlanks.length > allowedBlanks(open)) this.closeOpen();
        return;
      }
      if (step !== open.step) this.closeOpen();
      else if (joins(open, text, cls)) {
        for (const blank of this.pendingBlanks) addLine(open, blank, '', { role: 'blank', weight: 0, indent: -1 });
        this.pendingBlanks = [];
        addLine(open, n, text, cls);
        return;
      } else {
        this.closeOpen();
      }
    }
    if (cls.role === 'blank' || cls.weight <= 0) return;
    if (cls.role !== 'header' && cls.role !== 'detail' && cls.role !== 'summary') return;
    const block = newBlock(this.seq++, step, Math.max(cls.indent, 0));
    if (cls.rule?.section) block.section = cls.rule;
    if (cls.role === 'header') block.headerRule = cls.rule;
    const leadIn = cls.rule?.leadIn;
    if (leadIn) {
      for (let i = this.ring.length - 1, back = 0; i >= 0 && back < 5; i--, back++) {
        const entry = this.ring[i]!;
        if (entry.step !== step) break;
        if (!leadIn.test(entryText(entry))) continue;
        for (let j = i; j < this.ring.length; j++) addLine(block, this.ring[j]!.n, entryText(this.ring[j]!), entryClass(this.ring[j]!));
        block.baseIndent = Math.max(entryClass(entry).indent, 0);
        break;
      }
    }
    addLine(block, n, text, cls);
    this.open = block;
  }

  private closeOpen(): void {
    const block = this.open;
    if (!block) return;
    this.open = null;
    this.pendingBlanks = [];
    trimBlock(block);
    block.strength = computeStrength(block);
    this.keep(block);
  }

  private keep(block: Block): void {
    this.recent.push(block);
    if (this.recent.length > KEEP_RECENT) {
      const dropped = this.recent.shift()!;
      this.offerBest(dropped);
    }
  }

  private offerBest(block: Block): void {
    if (this.best.length < KEEP_BEST) {
      this.best.push(block);
      return;
    }
    let weakest = 0;
    for (let i = 1; i < this.best.length; i++) if (this.best[i]!.strength < this.best[weakest]!.strength) weakest = i;
    if (this.best[weakest]!.strength < block.strength) this.best[weakest] = block;
  }

  /** A failed step with little to show: its last few lines are a candidate too. */
  private tailCandidate(step: number, failureLine: number): void {
    const lines = this.ring.filter((e) => e.step === step && e.n < failureLine && !['blank', 'noise', 'boundary'].includes(entryClass(e).role));
    const last = lines.slice(-3);
    if (last.length === 0) return;
    const block = newBlock(this.seq++, step, 0);
    block.tail = true;
    for (const entry of last) addLine(block, entry.n, entryText(entry), entryClass(entry));
    block.strength = Math.max(computeStrength(block), TAIL_STRENGTH);
    this.keep(block);
  }

  private signal(step: number, category: FailureCategory, weight: number, n: number, text: string): void {
    let signals = this.stepSignals.get(step);
    if (!signals) {
      if (this.stepSignals.size >= 5_000) return;
      signals = {};
      this.stepSignals.set(step, signals);
    }
    const existing = signals[category];
    if (existing) existing.weight += weight;
    else signals[category] = { weight, n, text: detach(text.slice(0, 300)) };
  }
}

function allowedBlanks(block: Block): number {
  return block.section?.section?.blankLines ?? 1;
}

/** Does this line continue the open block? */
function joins(block: Block, text: string, cls: LineClass): boolean {
  const rule = cls.rule;
  const section = block.section?.section;
  if (section) {
    if (rule && rule === block.section && block.lines.length > 0) return false; // a sibling starts its own block
    if (cls.role === 'pass' || cls.role === 'boundary') return false;
    if (section.end && section.end.test(text)) return false;
    if (block.end - block.start + 1 >= (section.maxLines ?? 100)) return false;
    if (cls.role === 'summary' && !rule?.continuation) return false;
    return true;
  }
  switch (cls.role) {
    case 'pass':
    case 'boundary':
    case 'summary':
      return false;
    case 'header':
      // Compiler errors list one after another: one block, up to a readable length. A new
      // section (a test) starts its own.
      return !rule?.section && block.end - block.start + 1 < MAX_LIST_BLOCK;
    case 'detail':
    case 'context':
      return true;
    case 'noise':
      return cls.indent > block.baseIndent || sharesPrefix(block, text);
    default:
      return (cls.indent > block.baseIndent || sharesPrefix(block, text)) && block.end - block.start < MAX_LINES_BLOCK;
  }
}

/** Tool prefixes that mark every line of one message ("npm ERR!", "[ERROR]", "#7" of a docker step). */
const MESSAGE_PREFIX = /^(?:npm (?:ERR!|error)|\[[A-Za-z]{1,12}\]|#\d+)(?=\s|$)/;

/** The line carries the same tool prefix as the block's first line: the same message goes on. */
function sharesPrefix(block: Block, text: string): boolean {
  const first = block.lines[0]?.text;
  if (!first) return false;
  const prefix = MESSAGE_PREFIX.exec(first)?.[0];
  return prefix !== undefined && text.startsWith(prefix);
}

/** A list of errors is cut into blocks of this many lines: the first ones are what people read. */
const MAX_LIST_BLOCK = 200;
/** A lines-mode block (no section header) stops growing on plain indented text after this many lines. */
const MAX_LINES_BLOCK = 150;
