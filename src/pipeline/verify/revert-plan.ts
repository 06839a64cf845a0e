import { createHash } from 'node:crypto';
import { createPatch } from 'diff';
import type { Action } from '../../domain/action.js';
import { Plan, PLAN_VERSION, actionsRisk } from '../../domain/plan.js';
import { rollbackFor } from '../../planner/rollback.js';

/**
 * The revert of a plan whose signal did not clear: a new plan, proposed
 * through the same Forge.propose path and approved through the same gate.
 *
 * - each file a gitops.patch changed gets a diff from its merged content back
 *   to its content before the merge (so later edits elsewhere in the file stay);
 * - actions git cannot undo (a restart, a dispatch) become human steps
 *   (`notify`) carrying their rollback text;
 * - its id and createdAt derive from the execution, so proposing it again
 *   yields the same plan (and the same PR, unchanged).
 */
export interface MergedFile {
  path: string;
  /** Content at the merge commit's first parent (before the change); null when the file did not exist. */
  before: string | null;
  /** Content at the merge commit; null when the merge deleted it. */
  after: string | null;
}

export interface MergedChange {
  plan: Plan;
  planHash: string;
  /** The files the plan's gitops.patch actions target, before and after the merge. */
  files: MergedFile[];
}

export interface RevertContext {
  repo: string;
  prNumber: number;
  prUrl: string;
  mergeSha: string;
  /** When the verification window closed: the revert plan's createdAt. */
  decidedAt: number;
}

const REVERT_PREFIX = 'plan_rv';

/** Revert plans are not reverted again when they fail to clear: a human takes over. */
export function isRevertPlanId(planId: string): boolean {
  return planId.startsWith(REVERT_PREFIX);
}

/** The key a revert is proposed under: its own PR, apart from the incident's fix PR. */
export function revertProposalKey(planId: string): string {
  return `revert_${planId}`;
}

export type RevertPlanResult =
  | { ok: true; plan: Plan; revertedFiles: string[] }
  /** Nothing git can revert: the steps a human must take instead. */
  | { ok: false; reason: string; humanSteps: string[] };

export function buildRevertPlan(change: MergedChange, context: RevertContext): RevertPlanResult {
  const original = change.plan;
  const patched = new Set(original.actions.filter((action) => action.kind === 'gitops.patch').map((action) => action.path));
  const reverts: Action[] = [];
  for (const file of change.files) {
    if (!patched.has(file.path) || file.before === null || file.after === null || file.before === file.after) continue;
    reverts.push({
      kind: 'gitops.patch',
      repo: context.repo,
      path: file.path,
      diff: createPatch(file.path, file.after, file.before, `merged in ${context.mergeSha.slice(0, 7)}`, 'before the fix'),
      title: `Restore ${file.path} as it was before ${original.id}`,
    });
  }
  const humanSteps = original.actions
    .filter((action) => action.kind !== 'gitops.patch' && action.kind !== 'notify')
    .map((action) => rollbackFor(action))
    .filter((step): step is string => step !== undefined);
  const windowMinutes = Math.round(original.verification.windowSeconds / 60);
  if (reverts.length === 0) {
    return { ok: false, reason: `${original.id} changed no file pitcrew can revert in git`, humanSteps };
  }
  const actions: Action[] = [...reverts, ...humanSteps.map((message): Action => ({ kind: 'notify', message: message.slice(0, 4000), title: 'Undo by hand' }))];
  const id = `${REVERT_PREFIX}${createHash('sha256').update(`${original.id}@${context.mergeSha}`).digest('hex').slice(0, 12)}`;
  const signalName = original.signal.alertname ?? 'the alert';
  const plan = Plan.parse({
    version: PLAN_VERSION,
    id,
    createdAt: context.decidedAt,
    ...(original.incidentId ? { incidentId: original.incidentId } : {}),
    signal: { ...original.signal, status: 'firing' },
    summary: clip(`Revert ${original.id}: ${original.summary}`, 500),
    probableCause: clip(`${signalName} did not clear within ${windowMinutes} min of running ${original.id} (merged in ${context.mergeSha.slice(0, 7)} from ${context.repo}#${context.prNumber}), so its change is undone.`, 2000),
    confidence: { score: 0.5, level: 'medium', basis: 'The verification window closed with the signal still firing.' },
    evidence: [{ kind: 'commit', source: `${context.repo}@${context.mergeSha}`, title: clip(`Merge of #${context.prNumber}: ${original.summary}`, 300), excerpt: clip(`Plan ${original.id} changed ${[...patched].join(', ')}. PR: ${context.prUrl}`, 2000) }],
    actions,
    risk: actionsRisk(actions),
    rollback: [`Re-apply ${original.id}: revert this PR's merge.`],
    verification: { windowSeconds: original.verification.windowSeconds, condition: clip(`${signalName} (fingerprint ${original.signal.fingerprint}) resolves within ${windowMinutes} minutes of the revert`, 500) },
    planner: { kind: 'deterministic' },
    notes: [clip(`Reverts ${original.id} from ${context.prUrl}; proposed because the verification window closed.`, 1000)],
  });
  return { ok: true, plan, revertedFiles: reverts.map((action) => (action as { path: string }).path) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
