import { DECOY_MATCH, lineKind } from './learning/profile.js';
import { lineTemplate, similarity } from './learning/template.js';
import type { AnalysisState } from './analyzer.js';
import type { LearnedBlock } from './learning/matcher.js';
import { blockLineSet, sameLines, type Block } from './block.js';
import type { Step } from './steps.js';

/**
 * Weights for choosing among candidate blocks once the whole log has been
 * seen (and so which steps failed is known). Tuned on the development sets;
 * each one is a general preference, not a special case.
 */
export interface SelectionWeights {
  /** Bonus for a block inside a step that failed. */
  inFailedStep: number;
  /** Penalty for a block inside a step that passed. */
  inPassedStep: number;
  /** Penalty for a block in a step of unknown outcome when some other step failed. */
  outsideFailedStep: number;
  /** Bonus for being close to where the step (or the log) ended. */
  closeToEnd: number;
  /** Distance scale, in lines, of that bonus. */
  closeScale: number;
  /** Bonus for the first strong block of its step (the first failure is the one to read). */
  firstInStep: number;
  /** Strength a block needs to count as "strong" for firstInStep. */
  strongAt: number;
  /** Score handicap of the synthetic "last lines of the failed step" candidate. */
  tailBonus: number;
  /** Extra blocks are added when they score within this of the best one. */
  extraWithin: number;
  maxBlocks: number;
  maxLines: number;
}

export const DEFAULT_WEIGHTS: SelectionWeights = {
  inFailedStep: 2,
  inPassedStep: 2,
  outsideFailedStep: 1,
  closeToEnd: 1.5,
  closeScale: 40,
  firstInStep: 1,
  strongAt: 4,
  tailBonus: 0,
  extraWithin: 1,
  maxBlocks: 3,
  maxLines: 200,
};

export interface ScoredBlock {
  block: Block;
  score: number;
}

export interface Selection {
  chosen: ScoredBlock[];
  /** Every candidate with its score, best first (for debugging and learning). */
  ranked: ScoredBlock[];
  failedSteps: Step[];
  /** The step the chosen evidence belongs to. */
  step?: Step;
  /** GitHub's own failure annotations in that step. */
  annotations: Array<{ n: number; text: string }>;
  /** The evidence came from the repository's learned patterns. */
  learned?: boolean;
}

export function selectBlocks(state: AnalysisState, weights: SelectionWeights = DEFAULT_WEIGHTS): Selection {
  const failedSteps = state.steps.filter((s) => s.status === 'failed');
  const learned = selectLearned(state, failedSteps.length > 0);
  if (learned) return learned;
  const anyFailed = failedSteps.length > 0;
  const decoy = decoyShare(state);
  const familiar = familiarKinds(state);
  const firstStrong = new Map<number, Block>();
  for (const block of state.blocks) {
    if (block.strength >= weights.strongAt && !block.tail && !firstStrong.has(block.step)) firstStrong.set(block.step, block);
  }
  const ranked: ScoredBlock[] = state.blocks.map((block) => {
    const step = state.steps[block.step];
    let score = block.strength;
    let end = state.lines;
    if (step && anyFailed) {
      if (step.status === 'failed') score += weights.inFailedStep;
      else if (step.status === 'passed') score -= weights.inPassedStep;
      else score -= weights.outsideFailedStep;
      end = step.failureLine ?? step.end;
    }
    const distance = Math.max(0, end - block.end);
    score += weights.closeToEnd * Math.exp(-distance / weights.closeScale);
    if (firstStrong.get(block.step) === block) score += weights.firstInStep;
    if (block.tail) score += weights.tailBonus;
    // Mostly lines this repository's confirmations showed to be noise.
    score -= DECOY_PENALTY * decoy(block);
    if (familiar(block)) score += KIND_BONUS;
    return { block, score };
  });
  const byStart = [...ranked].sort((a, b) => a.block.start - b.block.start);
  // The same failure printed twice (as it happens, then in a summary; by two tools) is one failure:
  // keep its first occurrence, with the best score of its copies.
  const unique: ScoredBlock[] = [];
  const lineSets = new Map<ScoredBlock, Set<string>>();
  for (const scored of byStart) {
    const lines = blockLineSet(scored.block);
    const copyOf = unique.find((u) => u.block.step === scored.block.step && sameLines(lineSets.get(u)!, lines));
    if (copyOf) {
      copyOf.score = Math.max(copyOf.score, scored.score);
      continue;
    }
    lineSets.set(scored, lines);
    unique.push(scored);
  }
  ranked.length = 0;
  ranked.push(...unique);
  ranked.sort((a, b) => b.score - a.score || a.block.start - b.block.start);
  const best = ranked[0];
  if (!best) return { chosen: [], ranked, failedSteps, annotations: [] };

  const chosen: ScoredBlock[] = [best];
  let lines = best.block.end - best.block.start + 1;
  for (const candidate of ranked.slice(1)) {
    if (chosen.length >= weights.maxBlocks) break;
    if (candidate.score < best.score - weights.extraWithin) break;
    if (candidate.block.step !== best.block.step) continue;
    if (chosen.some((c) => overlaps(c.block, candidate.block))) continue;
    const size = candidate.block.end - candidate.block.start + 1;
    if (lines + size > weights.maxLines) continue;
    chosen.push(candidate);
    lines += size;
  }
  chosen.sort((a, b) => a.block.start - b.block.start);
  const step = state.steps[best.block.step];
  const annotations = state.annotations.filter((a) => a.step === best.block.step).map(({ n, text }) => ({ n, text }));
  return { chosen, ranked, failedSteps, ...(step ? { step } : {}), annotations };
}

/** Below this, a learned match is too weak to trust over the general rules. */
const LEARNED_MIN_SCORE = 0.9;
/** Learned matches within this of the best are treated as equally good. */
const LEARNED_TIE = 0.15;

/**
 * When the repository's learned patterns matched, their spans are the
 * answer: a human confirmed that shape before. The best match wins; other
 * spans of the same confirmed example that matched come with it.
 */
function selectLearned(state: AnalysisState, anyFailed: boolean): Selection | null {
  if (state.learned.length === 0) return null;
  const agreement = new Map<number, Set<number>>();
  for (const block of state.learned) {
    const examples = agreement.get(block.start) ?? new Set<number>();
    examples.add(block.learned.pattern.example);
    agreement.set(block.start, examples);
  }
  const ranked: ScoredBlock[] = state.learned.flatMap((block) => {
    const learned = block.learned;
    // A learned span that looked like an error must find something that looks like one too.
    if (learned.pattern.evidence >= 3 && learned.evidence < 2) return [];
    const step = state.steps[block.step];
    let score = 0.5 * learned.similarity + 0.5 * learned.bodySimilarity;
    if (block.learned.beforeMatched) score += 0.3;
    if (block.learned.afterMatched) score += 0.3;
    score += 0.15 * ((agreement.get(block.start)?.size ?? 1) - 1);
    if (step && anyFailed) score += step.status === 'failed' ? 0.5 : step.status === 'passed' ? -0.5 : -0.25;
    return [{ block, score }];
  });
  if (ranked.length === 0) return null;
  ranked.sort((a, b) => b.score - a.score || a.block.start - b.block.start);
  const top = ranked[0]!;
  if (top.score < LEARNED_MIN_SCORE) return null;
  // Several near-equal matches: the first failure is the one to read, as with the general rules.
  const best = ranked.filter((r) => r.score >= top.score - LEARNED_TIE).sort((a, b) => a.block.start - b.block.start || b.score - a.score)[0]!;
  const bestExample = (best.block as LearnedBlock).learned.pattern.example;
  const chosen: ScoredBlock[] = [best];
  const seenSpans = new Set<number>([(best.block as LearnedBlock).learned.pattern.span]);
  for (const candidate of ranked.slice(1)) {
    const learned = (candidate.block as LearnedBlock).learned;
    if (learned.pattern.example !== bestExample || seenSpans.has(learned.pattern.span)) continue;
    if (candidate.score < LEARNED_MIN_SCORE || chosen.some((c) => overlaps(c.block, candidate.block))) continue;
    seenSpans.add(learned.pattern.span);
    chosen.push(candidate);
  }
  chosen.sort((a, b) => a.block.start - b.block.start);
  const step = state.steps[best.block.step];
  const failedSteps = state.steps.filter((s) => s.status === 'failed');
  const annotations = state.annotations.filter((a) => a.step === best.block.step).map(({ n, text }) => ({ n, text }));
  return { chosen, ranked, failedSteps, ...(step ? { step } : {}), annotations, learned: true };
}

function overlaps(a: Block, b: Block): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Score taken from a block made only of learned noise. */
const DECOY_PENALTY = 20;

/** The share of a block's evidence lines that match the repository's learned decoys (0 without any). */
function decoyShare(state: AnalysisState): (block: Block) => number {
  if (!state.decoys || state.decoys.length === 0) return () => 0;
  return (block) => {
    const lines = block.lines.filter((l) => l.weight >= 1 && l.text.trim() !== '');
    if (lines.length === 0) return 0;
    let hits = 0;
    for (const line of lines) {
      const template = lineTemplate(line.text);
      if (state.decoys.some((d) => similarity(d, template) >= DECOY_MATCH)) hits++;
    }
    return hits / lines.length;
  };
}

/** Score given to a block with a line of a kind the repository confirmed before. */
const KIND_BONUS = 1;

/** Whether a block holds a line of a kind this repository confirmed as a failure before. */
function familiarKinds(state: AnalysisState): (block: Block) => boolean {
  if (!state.kinds || state.kinds.length === 0) return () => false;
  const kinds = new Set(state.kinds);
  return (block) => block.lines.some((l) => l.weight >= 1 && kinds.has(lineKind(l.text)));
}
