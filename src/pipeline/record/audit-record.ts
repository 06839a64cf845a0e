import type { ExecutionRecord } from '../../domain/execution.js';

/**
 * The audit record of one execution, as it is committed to the audit branch
 * (invariant I5): a JSON file at a path derived from (planId, mergeSha), and a
 * commit message whose trailers `git log --format=%(trailers)` can read.
 * Pure: the GitHub adapter writes what this renders.
 */
export const AUDIT_RECORD_SCHEMA = 'pitcrew.execution/v1';
export const AUDIT_DIR = 'executions';

/** Trailer that makes an audit commit findable by its execution: `<planId>@<mergeSha>`. */
export const EXECUTION_TRAILER = 'Pitcrew-Execution';

/** `executions/<yyyy>/<planId>-<mergeSha7>.json`; the year is the execution's (UTC). */
export function auditRecordPath(record: Pick<ExecutionRecord, 'planId' | 'mergeSha' | 'executedAt'>): string {
  const year = new Date(record.executedAt).getUTCFullYear();
  return `${AUDIT_DIR}/${year}/${safeSegment(record.planId)}-${record.mergeSha.slice(0, 7)}.json`;
}

/** The identity of an execution: one audit commit per value. */
export function executionKey(record: Pick<ExecutionRecord, 'planId' | 'mergeSha'>): string {
  return `${record.planId}@${record.mergeSha}`;
}

/** The record file: stable key order, ISO time next to epoch ms, newline-terminated (diffs read well). */
export function renderAuditRecord(record: ExecutionRecord): string {
  const file = {
    schema: AUDIT_RECORD_SCHEMA,
    repo: record.repo,
    pullRequest: { number: record.prNumber, url: record.prUrl },
    plan: { id: record.planId, hash: record.planHash },
    incidentId: record.incidentId,
    mergeSha: record.mergeSha,
    headSha: record.headSha,
    proposedBy: record.proposedBy,
    approvals: record.approvals.map((approval) => ({ login: approval.login, sha: approval.sha })),
    mergedBy: record.mergedBy,
    executedAt: new Date(record.executedAt).toISOString(),
    executedAtMs: record.executedAt,
    outcome: record.outcome,
    reason: record.reason,
    evidenceDigest: record.evidenceDigest,
    actions: record.actions.map((action) => ({
      index: action.index,
      type: action.type,
      idempotencyKey: action.idempotencyKey,
      outcome: action.outcome,
      detail: action.detail,
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The trailers, in the order a reader scans them: what, who approved, who merged, when, how it went. */
export function auditTrailers(record: ExecutionRecord): Array<[string, string]> {
  return [
    ['Pitcrew-Plan', `${record.planId}@${record.planHash}`],
    ...record.approvals.map((approval): [string, string] => ['Approved-by', `${oneToken(approval.login)} (${approval.sha})`]),
    ['Merged-by', record.mergedBy ? oneToken(record.mergedBy) : 'unknown'],
    ['Executed-at', new Date(record.executedAt).toISOString()],
    ['Outcome', record.outcome],
    ['Pitcrew-PR', `${record.repo}#${record.prNumber}`],
    [EXECUTION_TRAILER, executionKey(record)],
  ];
}

/**
 * The commit message: a subject an on-call engineer reads in `git log --oneline`,
 * a short body (the reason, one line per action), then the trailers.
 */
export function auditCommitMessage(record: ExecutionRecord, path = auditRecordPath(record)): string {
  const subject = `pitcrew: ${record.outcome} ${record.planId} from ${record.repo}#${record.prNumber} (${record.mergeSha.slice(0, 7)})`;
  const body = [
    record.incidentId ? `Incident ${record.incidentId}.` : 'No incident.',
    record.approvals.length === 0 ? 'No approvals on the merged head.' : `${record.approvals.length} approval(s) on ${record.headSha.slice(0, 7)}.`,
    ...(record.reason ? [`Reason: ${oneLine(record.reason)}`] : []),
    ...record.actions.map((action) => `- ${action.index + 1}. ${action.type}: ${action.outcome}${action.detail ? ` (${oneLine(action.detail)})` : ''}`),
    `Record: ${path}`,
  ];
  const trailers = auditTrailers(record).map(([key, value]) => `${key}: ${value}`);
  return `${subject}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

/** The execution key in an audit commit message, or null when it is not one. */
export function readExecutionKey(message: string): string | null {
  const match = new RegExp(`^${EXECUTION_TRAILER}: (\\S+)$`, 'm').exec(message);
  return match?.[1] ?? null;
}

/** Trailer values are one line: body text could otherwise forge a trailer (`\nApproved-by: mallory`). */
function oneLine(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

function oneToken(text: string): string {
  return oneLine(text).replace(/\s+/g, '-');
}

function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}
