import type { ExecutionRecord } from '../domain/execution.js';
import type { ExecutionJournalReader, BreakerReader } from '../pipeline/handoff/ports.js';
import type { ExecutionSummary } from '../pipeline/handoff/model.js';
import type { CircuitBreaker } from '../pipeline/execute/breaker.js';
import type { Db } from './store.js';
import type { VerificationsTable } from './schema.js';

/**
 * Read-only views of the execution journal and the breakers for the handoff
 * and `/pitcrew status`. They read the store, not a running executor, so the
 * CLI and every replica see the same thing.
 */
export function storeExecutionReader(db: Db): ExecutionJournalReader {
  return {
    async executedBetween(window) {
      const rows = await db
        .selectFrom('executions')
        .select(['record', 'repo', 'pr_number', 'merge_sha'])
        .where('finished_at', '>=', window.from)
        .where('finished_at', '<', window.to)
        .where('record', 'is not', null)
        .orderBy('finished_at')
        .execute();
      if (rows.length === 0) return [];
      const verifications = await db
        .selectFrom('verifications')
        .selectAll()
        .where('merge_sha', 'in', rows.map((row) => row.merge_sha))
        .execute();
      return rows.map((row) => summarize(JSON.parse(row.record!) as ExecutionRecord, verifications.find((v) => v.repo === row.repo && v.merge_sha === row.merge_sha)));
    },
  };
}

function summarize(record: ExecutionRecord, verification: VerificationsTable | undefined): ExecutionSummary {
  return {
    repo: record.repo,
    prNumber: record.prNumber,
    prUrl: record.prUrl,
    planId: record.planId,
    incidentId: record.incidentId,
    executedAt: record.executedAt,
    outcome: record.outcome,
    reason: record.reason,
    mergedBy: record.mergedBy,
    actions: record.actions.map(({ type, outcome, detail }) => ({ type, outcome, detail })),
    verification: verificationOf(record, verification),
  };
}

function verificationOf(record: ExecutionRecord, row: VerificationsTable | undefined): ExecutionSummary['verification'] {
  if (!row) return { status: record.outcome === 'succeeded' && record.incidentId ? 'unknown' : 'skipped', at: null, detail: null };
  const status = row.state === 'cleared' ? 'verified' : row.state === 'watching' ? 'pending' : 'not_cleared';
  return { status, at: row.state === 'watching' ? null : row.updated_at, detail: row.outcome_note ?? (row.revert_url ? `revert proposed: ${row.revert_url}` : null) };
}

/** One state for all repositories' breakers: open when any is, naming them. */
export function breakerReader(breaker: Pick<CircuitBreaker, 'all'>): BreakerReader {
  return {
    async state() {
      const all = await breaker.all();
      const open = all.filter((state) => state.open);
      if (open.length === 0) {
        const last = Math.max(0, ...all.map((state) => state.resetAt ?? 0));
        return { state: 'closed', since: last || null, reason: null };
      }
      return {
        state: 'open',
        since: Math.max(...open.map((state) => state.openedAt ?? 0)) || null,
        reason: `open for ${open.map((state) => state.repo).join(', ')}; \`pitcrew breaker reset <repo>\` after fixing the cause`,
      };
    },
  };
}

/** One line for `/pitcrew status`. */
export async function describeBreakers(breaker: Pick<CircuitBreaker, 'all'>): Promise<string> {
  const state = await breakerReader(breaker).state();
  return state.state === 'open' ? `open: ${state.reason}` : 'closed';
}

/** Whether a merged plan ran (and succeeded) for the incident: MTTR with or without a pitcrew remediation. */
export function remediationLookup(db: Db): (incidentId: string) => Promise<boolean> {
  return async (incidentId) => {
    const row = await db.selectFrom('executions').select('id').where('incident_id', '=', incidentId).where('state', '=', 'succeeded').executeTakeFirst();
    return row !== undefined;
  };
}
