import { createHash } from 'node:crypto';
import type { Action } from '../../domain/action.js';
import { PLAN_VERSION, Plan } from '../../domain/plan.js';
import { evaluatePolicy, type Policy, type PolicyVerdict } from '../../domain/policy.js';
import type { FixOffer } from '../../diagnosis/fix-offers.js';
import { CATEGORY_ADVICE, type FailureCategory } from '../../diagnosis/categories.js';

/**
 * Turns an accepted fix offer into a Plan, so it takes the same road as any
 * other fix: a PR holding the plan file, the approval gate, and execution
 * only after merge. A re-run is a `github.rerun_failed_jobs` action; a
 * lockfile or snapshot update needs someone to run a command on the branch,
 * so it is a human step (`notify`) the PR tracks — pitcrew runs no build
 * tools of its own.
 */
export interface FixRequest {
  repo: string;
  pull: number;
  kind: FixOffer['kind'];
  runId: string;
  workflow: string;
  job: string;
  category: FailureCategory;
  signature: string;
  command?: string;
  requestedBy: string;
  now: number;
}

export function fixPlan(request: FixRequest, policy: Policy): { plan?: Plan; verdict: PolicyVerdict } {
  const action: Action = request.kind === 'rerun_failed_jobs'
    ? { kind: 'github.rerun_failed_jobs', repo: request.repo, runId: Number(request.runId), title: `Re-run the failed jobs of ${request.workflow} run ${request.runId}` }
    : {
        kind: 'notify',
        title: request.kind === 'regenerate_lockfile' ? 'Regenerate the lockfile' : 'Update the snapshots',
        message: `On the branch of PR #${request.pull}, run \`${request.command ?? 'the update command'}\`, review the diff and push it.`,
      };
  const verdict = evaluatePolicy([action], policy, { severity: 'warning' });
  if (!verdict.allowed) return { verdict };
  const judged = action.kind === 'notify' ? action : ({ ...action, risk: verdict.actionRisks[0] } as Action);
  const id = `plan_ci${createHash('sha256').update(`${request.repo}#${request.pull}:${request.kind}:${request.runId}:${request.signature}`).digest('hex').slice(0, 12)}`;
  const what = request.kind === 'rerun_failed_jobs' ? 're-run the failed jobs' : request.kind === 'regenerate_lockfile' ? 'regenerate the lockfile' : 'update the snapshots';
  const plan = Plan.parse({
    version: PLAN_VERSION,
    id,
    createdAt: request.now,
    signal: { source: 'github', fingerprint: `ci:${request.repo}#${request.pull}:${request.signature}`, status: 'firing', severity: 'warning' },
    summary: `CI on PR #${request.pull}: ${what} (${request.workflow} / ${request.job})`,
    probableCause: CATEGORY_ADVICE[request.category].likelyCause,
    confidence: { score: 0.5, level: 'medium', basis: `pitcrew's CI diagnosis (${request.category.replace(/_/g, ' ')}), asked for by ${request.requestedBy}` },
    evidence: [{ kind: 'ci_failure', source: `${request.repo} run ${request.runId}`, id: request.signature, title: `${request.workflow} / ${request.job}`, excerpt: `signature ${request.signature}` }],
    actions: [judged],
    risk: verdict.risk,
    rollback: request.kind === 'rerun_failed_jobs' ? ['Nothing to undo: a re-run changes no code.'] : ['Revert the commit that updated the files.'],
    verification: { windowSeconds: 3600, condition: `the ${request.workflow} checks pass on PR #${request.pull}` },
    planner: { kind: 'deterministic' },
    notes: [`Asked for with /pitcrew fix on PR #${request.pull} by ${request.requestedBy}.`],
  });
  return { plan, verdict };
}
