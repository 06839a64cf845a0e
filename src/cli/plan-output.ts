import { stringify } from 'yaml';
import { planHash, type Plan } from '../domain/plan.js';
import { color } from './output.js';

/** A plan for humans in a terminal. */
export function renderPlan(plan: Plan): string {
  const lines = [
    `${color.bold(plan.summary)}`,
    `  plan ${plan.id}  hash ${planHash(plan)}`,
    `  planner ${plan.planner.kind}${plan.planner.model ? ` (${plan.planner.model}, prompt ${plan.planner.promptVersion})` : ''}  risk ${plan.risk}  confidence ${plan.confidence.level} (${plan.confidence.score}: ${plan.confidence.basis})`,
    plan.runbook ? `  runbook ${plan.runbook.path}${plan.runbook.headingPath.length ? ` § ${plan.runbook.headingPath.join(' › ')}` : ''}` : '  runbook none',
    '',
    `${color.bold('Probable cause')}  ${plan.probableCause}`,
    '',
    color.bold('Actions'),
    ...plan.actions.map((action, i) => `  ${i + 1}. ${stringify(action, { lineWidth: 0 }).trim().split('\n').join('\n     ')}`),
    '',
    color.bold('Rollback'),
    ...plan.rollback.map((step) => `  - ${step}`),
    `${color.bold('Verify')}  ${plan.verification.condition}`,
  ];
  if (plan.planner.fallback) lines.push('', `${color.yellow('fallback')} ${plan.planner.fallback}`);
  if (plan.notes.length) lines.push('', color.bold('Notes'), ...plan.notes.map((n) => `  - ${n}`));
  lines.push('', color.bold('Evidence'), ...plan.evidence.map((e) => `  - [${e.kind}] ${e.title}${e.score !== undefined ? ` (score ${e.score}${e.matchedBy ? `, ${e.matchedBy}` : ''})` : ''} — ${e.source}`));
  return `${lines.join('\n')}\n`;
}

/** The plan without what differs on every run (id, time), as YAML, for diffs. */
export function comparableYaml(plan: Plan): string {
  const { id: _id, createdAt: _createdAt, ...rest } = plan;
  return stringify(rest, { lineWidth: 0, sortMapEntries: true });
}
