import type { VerificationsTable } from './schema.js';
import type { Db } from './store.js';

/** A verification watch, as the verify stage reads it. */
export interface Verification {
  id: string;
  repo: string;
  prNumber: number;
  planId: string;
  mergeSha: string;
  incidentId: string;
  signal: { source: string; fingerprint: string };
  executedAt: number;
  deadlineAt: number;
  state: VerificationsTable['state'];
  detail: VerificationDetail;
  revertPr: number | null;
  revertUrl: string | null;
  outcomeNote: string | null;
}

/** What the watch keeps to write the memory record and the chat notes without reading git again. */
export interface VerificationDetail {
  prUrl: string;
  planSummary: string;
  probableCause: string;
  alertname: string | null;
  service: string | null;
  windowSeconds: number;
  /** One line per action that ran. */
  actions: string[];
  approvedBy: string[];
  mergedBy: string | null;
  /** True when the plan is itself a revert: its failure is not reverted again. */
  isRevert: boolean;
}

/** SQL access to verification watches. Transitions are conditional on the state, so one writer wins. */
export class VerificationRepo {
  constructor(private readonly db: Db) {}

  /** Inserts the watch unless one exists for the id; returns true when this call created it. */
  async insert(row: VerificationsTable): Promise<boolean> {
    const result = await this.db.insertInto('verifications').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<Verification | undefined> {
    const row = await this.db.selectFrom('verifications').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVerification(row);
  }

  async watchingFor(incidentId: string): Promise<Verification[]> {
    const rows = await this.db.selectFrom('verifications').selectAll().where('incident_id', '=', incidentId).where('state', '=', 'watching').orderBy('executed_at').execute();
    return rows.map(toVerification);
  }

  async countWatching(): Promise<number> {
    const row = await this.db.selectFrom('verifications').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'watching').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async list(filter: { state?: VerificationsTable['state']; limit?: number } = {}): Promise<Verification[]> {
    let query = this.db.selectFrom('verifications').selectAll().orderBy('executed_at', 'desc').limit(filter.limit ?? 50);
    if (filter.state) query = query.where('state', '=', filter.state);
    return (await query.execute()).map(toVerification);
  }

  /** Moves a watch out of `watching`; false when it already left (another delivery finished it). */
  async finish(id: string, state: Exclude<VerificationsTable['state'], 'watching'>, patch: { revertPr?: number | null; revertUrl?: string | null; outcomeNote: string; at: number }): Promise<boolean> {
    const result = await this.db
      .updateTable('verifications')
      .set({ state, revert_pr: patch.revertPr ?? null, revert_url: patch.revertUrl ?? null, outcome_note: patch.outcomeNote, updated_at: patch.at })
      .where('id', '=', id)
      .where('state', '=', 'watching')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function toVerification(row: VerificationsTable): Verification {
  return {
    id: row.id,
    repo: row.repo,
    prNumber: Number(row.pr_number),
    planId: row.plan_id,
    mergeSha: row.merge_sha,
    incidentId: row.incident_id,
    signal: { source: row.signal_source, fingerprint: row.signal_fingerprint },
    executedAt: Number(row.executed_at),
    deadlineAt: Number(row.deadline_at),
    state: row.state,
    detail: JSON.parse(row.detail) as VerificationDetail,
    revertPr: row.revert_pr === null ? null : Number(row.revert_pr),
    revertUrl: row.revert_url,
    outcomeNote: row.outcome_note,
  };
}
