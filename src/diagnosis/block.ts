import type { FailureCategory } from './categories.js';
import type { LineClass } from './line-classifier.js';
import type { Ecosystem, LineRule } from './rules/index.js';

export interface BlockLine {
  n: number;
  text: string;
  weight: number;
  role: LineClass['role'];
  ruleId?: string;
}

/** A contiguous run of lines that together describe one failure (or look like they might). */
export interface Block {
  start: number;
  end: number;
  /** Stored lines, in order; at most MAX_STORED_LINES (the range may be longer). */
  lines: BlockLine[];
  step: number;
  headerRule?: LineRule;
  /** Rule that opened a section block (kept open until a sibling or terminator). */
  section?: LineRule;
  baseIndent: number;
  maxWeight: number;
  strongLines: number;
  categories: Partial<Record<FailureCategory, number>>;
  ecosystems: Partial<Record<Ecosystem, number>>;
  /** Synthetic: the last lines of a failed step that had nothing better. */
  tail?: boolean;
  /** Local evidence strength, set when the block closes. */
  strength: number;
  /** Sequence number of creation. */
  seq: number;
}

export const MAX_STORED_LINES = 300;

/**
 * A copy of `text` that does not keep the chunk it was sliced from alive.
 * V8 substrings point into their parent string; a kept line would otherwise
 * pin a whole read buffer in memory.
 */
export function detach(text: string): string {
  return text.length === 0 ? '' : Buffer.from(text, 'utf8').toString('utf8');
}
export const MAX_STORED_LINE_LENGTH = 500;

export function newBlock(seq: number, step: number, baseIndent: number): Block {
  return { start: 0, end: 0, lines: [], step, baseIndent, maxWeight: 0, strongLines: 0, categories: {}, ecosystems: {}, strength: 0, seq };
}

export function addLine(block: Block, n: number, text: string, cls: LineClass): void {
  if (block.lines.length === 0) block.start = n;
  block.end = n;
  if (cls.weight > block.maxWeight) block.maxWeight = cls.weight;
  if (cls.weight >= 4) block.strongLines++;
  const rule = cls.rule;
  if (rule && cls.weight > 0) {
    if (rule.category) block.categories[rule.category] = (block.categories[rule.category] ?? 0) + cls.weight;
    block.ecosystems[rule.ecosystem] = (block.ecosystems[rule.ecosystem] ?? 0) + 1;
  }
  if (block.lines.length < MAX_STORED_LINES) {
    const line: BlockLine = { n, text: detach(text.length > MAX_STORED_LINE_LENGTH ? `${text.slice(0, MAX_STORED_LINE_LENGTH)}…` : text), weight: cls.weight, role: cls.role };
    if (rule) line.ruleId = rule.id;
    block.lines.push(line);
  }
}

/** Drops trailing noise lines (npm boilerplate after the real error). */
export function trimBlock(block: Block): void {
  while (block.lines.length > 1) {
    const last = block.lines[block.lines.length - 1]!;
    if (last.n !== block.end) break;
    if (last.role !== 'noise' && last.role !== 'blank') break;
    block.lines.pop();
    block.end = block.lines[block.lines.length - 1]!.n;
  }
}

export function computeStrength(block: Block): number {
  let summaryOnly = true;
  let header = false;
  for (const line of block.lines) {
    if (line.role !== 'summary' && line.role !== 'blank' && line.role !== 'plain' && line.role !== 'noise') summaryOnly = false;
    if (line.role === 'header') header = true;
  }
  let strength = block.maxWeight + 0.4 * Math.min(Math.max(block.strongLines - 1, 0), 5) + (header ? 0.3 : 0);
  if (summaryOnly) strength -= 1;
  return strength;
}

/** A block's first lines without volatile parts, to recognize the same failure printed twice. */
export function blockLineSet(block: Block): Set<string> {
  return new Set(block.lines
    .filter((l) => l.role !== 'blank')
    .slice(0, 30)
    .map((l) => l.text.replace(/\d+/g, '0').replace(/\s+/g, ' ').trim()));
}

/** Two blocks say the same thing: most lines of the smaller one are in the other. */
export function sameLines(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return false;
  let shared = 0;
  for (const line of small) if (large.has(line)) shared++;
  return shared / small.size >= 0.8 && small.size >= Math.min(3, large.size);
}
