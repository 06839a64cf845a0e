import type { Action } from '../../domain/action.js';
import { digestOf } from '../../domain/canonical-json.js';
import { describeAction } from '../../domain/describe-action.js';
import type { ActionRecord, ApprovalRecord, ExecutionRecord } from '../../domain/execution.js';
import type { Plan } from '../../domain/plan.js';
import type { ExecutionReport, MergedPull } from './ports.js';

/**
 * The ExecutionRecord (what the audit commit, the check run, the PR comment
 * and the chat reply are made from), and its one-line-per-action rendering.
 */
export interface RecordInput {
  pull: MergedPull;
  plan: Plan | null;
  planHash: string | null;
  proposedBy: string | null;
  approvals: ApprovalRecord[];
  executedAt: number;
  outcome: ExecutionRecord['outcome'];
  reason: string | null;
  actions: ActionRecord[];
}

export function buildRecord(input: RecordInput): ExecutionRecord {
  return {
    repo: input.pull.repo,
    prNumber: input.pull.number,
    prUrl: input.pull.url,
    planId: input.plan?.id ?? 'unknown',
    planHash: input.planHash ?? 'unknown',
    incidentId: input.plan?.incidentId ?? null,
    mergeSha: input.pull.mergeSha,
    headSha: input.pull.headSha,
    proposedBy: input.proposedBy,
    approvals: input.approvals,
    mergedBy: input.pull.mergedBy,
    executedAt: input.executedAt,
    outcome: input.outcome,
    reason: input.reason,
    actions: input.actions,
    evidenceDigest: digestOf(input.plan?.evidence ?? []),
  };
}

/** The execution's outcome from its actions: any failed, unknown or skipped (paused) action fails it. */
export function overallOutcome(actions: ActionRecord[]): Exclude<ExecutionRecord['outcome'], 'refused'> {
  if (actions.some((a) => a.outcome === 'failed' || a.outcome === 'unknown' || a.outcome === 'skipped')) return 'failed';
  if (actions.some((a) => a.outcome === 'dry_run')) return 'dry_run';
  return 'succeeded';
}

const ICON: Record<ActionRecord['outcome'], string> = { succeeded: '✅', failed: '❌', skipped: '⏭️', dry_run: '🧪', unknown: '❓' };

export function actionLine(record: ActionRecord, action: Action | undefined): string {
  const what = action ? describeAction(action) : record.type;
  return `${ICON[record.outcome]} ${record.index + 1}. ${what}: ${record.outcome.replace('_', ' ')}${record.detail ? `, ${record.detail}` : ''}`;
}

export function renderReport(executionId: string, record: ExecutionRecord, plan: Plan | null, refusals: string[]): ExecutionReport {
  const short = record.mergeSha.slice(0, 7);
  if (record.outcome === 'refused') {
    return {
      record, executionId,
      title: `Not executed: ${refusals.length === 1 ? refusals[0]! : `${refusals.length} checks failed`}`.slice(0, 250),
      summary: `pitcrew ran **nothing** from plan \`${record.planId}\` merged in ${short}, because:`,
      lines: refusals.map((reason) => `🛑 ${reason}`),
    };
  }
  const lines = record.actions.map((a) => actionLine(a, plan?.actions[a.index]));
  const counts = (outcome: ActionRecord['outcome']) => record.actions.filter((a) => a.outcome === outcome).length;
  const title = record.outcome === 'succeeded'
    ? `Executed: ${counts('succeeded')} of ${record.actions.length} actions succeeded`
    : record.outcome === 'dry_run'
      ? `Dry run: ${record.actions.length} actions not run`
      : counts('failed') + counts('unknown') === 0
        ? `Stopped: ${counts('succeeded')} of ${record.actions.length} actions ran, ${counts('skipped')} skipped`
        : `Execution failed: ${counts('failed') + counts('unknown')} failed or unknown, ${counts('skipped')} skipped`;
  return {
    record, executionId, title,
    summary: `Plan \`${record.planId}\` merged in ${short}${record.mergedBy ? ` by @${record.mergedBy}` : ''}, approved on ${record.headSha.slice(0, 7)} by ${record.approvals.map((a) => `@${a.login}`).join(', ') || 'nobody'}.${record.reason ? ` ${record.reason}` : ''}`,
    lines: lines.length > 0 ? lines : ['The plan has no actions: nothing to run.'],
  };
}
