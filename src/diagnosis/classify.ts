import { CATEGORY_ADVICE, type FailureCategory } from './categories.js';
import type { Extraction } from './extract.js';
import { RULES_BY_ID } from './rules/index.js';

/**
 * Categories that describe the environment a failure happened in. When one
 * of them shows strong evidence it explains the failure better than the
 * symptom (a test that failed because the registry returned 502 is a network
 * failure), so they win in this order.
 */
const ENVIRONMENT_ORDER: FailureCategory[] = [
  'github_actions_config',
  'docker_build',
  'permission_or_secret',
  'timeout_or_oom',
  'network_or_flaky',
  'dependency_install',
];
/** Code categories, most specific first, for ties. */
const CODE_ORDER: FailureCategory[] = ['type_error', 'compile_error', 'snapshot_diff', 'lint_error', 'test_assertion'];

export interface Classification {
  category: FailureCategory;
  /** 0..1, how clearly the evidence points at this category. */
  confidence: number;
  /** Why: the rule hits that decided it. */
  reasons: string[];
}

/**
 * Picks one of the 11 categories from the extracted evidence, plus the strong
 * signals seen anywhere in the failed step (a cause is often printed long
 * before the failure it causes).
 */
export function classify(extraction: Extraction): Classification {
  const evidence: Partial<Record<FailureCategory, number>> = {};
  const reasons: string[] = [];
  const add = (category: FailureCategory, weight: number, reason: string) => {
    evidence[category] = (evidence[category] ?? 0) + weight;
    if (reasons.length < 6) reasons.push(reason);
  };
  for (const block of extraction.blocks) {
    for (const line of block.lines) {
      const rule = line.ruleId ? RULES_BY_ID.get(line.ruleId) : undefined;
      if (!rule?.category || line.weight <= 0) continue;
      add(rule.category, line.weight, `${rule.id} at line ${line.n}`);
    }
  }
  const stepIndex = extraction.selection.step?.index;
  const stepSignals = stepIndex === undefined ? undefined : extraction.state.stepSignals.get(stepIndex);
  const signals: Partial<Record<FailureCategory, number>> = {};
  if (stepSignals) {
    for (const [category, signal] of Object.entries(stepSignals) as Array<[FailureCategory, { weight: number; n: number; text: string }]>) {
      signals[category] = signal.weight;
    }
  }
  const exitCode = extraction.selection.step?.exitCode;

  for (const category of ENVIRONMENT_ORDER) {
    const inEvidence = evidence[category] ?? 0;
    const inStep = signals[category] ?? 0;
    if (inEvidence >= 5 || inStep >= 6) {
      return { category, confidence: inEvidence >= 5 ? 0.8 : 0.6, reasons: inEvidence >= 5 ? reasons : [`strong ${category} signal in the failed step (line ${stepSignals?.[category]?.n})`, ...reasons] };
    }
  }
  if (exitCode === 124 || exitCode === 137 || exitCode === 143) {
    return { category: 'timeout_or_oom', confidence: 0.6, reasons: [`the step exited with ${exitCode} (timeout or killed)`, ...reasons] };
  }
  let best: FailureCategory | undefined;
  let bestWeight = 0;
  for (const category of [...CODE_ORDER, ...ENVIRONMENT_ORDER]) {
    const weight = evidence[category] ?? 0;
    if (weight > bestWeight) {
      best = category;
      bestWeight = weight;
    }
  }
  if (best) {
    const total = Object.values(evidence).reduce((a, b) => a + (b ?? 0), 0);
    return { category: best, confidence: Math.min(0.9, 0.4 + 0.5 * (bestWeight / Math.max(total, 1))), reasons };
  }
  return { category: 'test_assertion', confidence: 0.2, reasons: ['no category-specific evidence; defaulting to a test failure'] };
}

export function adviceFor(category: FailureCategory) {
  return CATEGORY_ADVICE[category];
}
