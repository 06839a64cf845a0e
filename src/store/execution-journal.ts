import { sql } from 'kysely';
import type { ExecutionActionsTable, ExecutionsTable } from './schema.js';
import type { Store } from './store.js';

/**
 * The execution journal (ADR 0010). Every write that decides who runs what is
 * a compare-and-set inside `writeTransaction`, so it holds across processes
 * and on Postgres:
 *
 *  - an execution is claimed by inserting its row (unique on repo + merge SHA);
 *    the claimer holds a lease and alone runs its actions;
 *  - a lease that ran out (its process died) is taken over by exactly one
 *    other process (conditional update on the old owner and lease);
 *  - an action's entry is inserted, committed, before the action runs, and
 *    only while the caller still holds the execution's lease.
 */
export type ExecutionState = 'claimed' | 'running' | 'succeeded' | 'failed' | 'refused' | 'dry_run';
export const FINISHED: ExecutionState[] = ['succeeded', 'failed', 'refused', 'dry_run'];

/** The reason recorded on an execution an action broke (the breaker counts only these). */
export const BROKE = 'an action failed or its outcome is unknown';

export type ActionState = 'pending' | 'succeeded' | 'failed' | 'skipped' | 'dry_run' | 'unknown';

export interface NewExecution {
  id: string;
  repo: string;
  prNumber: number;
  mergeSha: string;
  headSha: string;
  planId: string | null;
  planHash: string | null;
  incidentId: string | null;
  /** JSON context known at claim time (merged by, PR URL). */
  context: string;
}

export type ActionClaim =
  /** Written now: the action has not run; run it. */
  | { status: 'fresh'; row: ExecutionActionsTable }
  /** Written by an earlier attempt: finished (use its outcome) or pending (ask the connector). */
  | { status: 'existing'; row: ExecutionActionsTable }
  /** This process no longer holds the execution's lease: stop. */
  | { status: 'lost' };

export class ExecutionJournal {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<ExecutionsTable | undefined> {
    return this.store.db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Inserts the execution; false when one exists for this merge commit already (a duplicate delivery). */
  async claim(input: NewExecution, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return this.store.writeTransaction(async (trx) => {
      const existing = await trx.selectFrom('executions').select('id').where('repo', '=', input.repo).where('merge_sha', '=', input.mergeSha).executeTakeFirst();
      if (existing) return false;
      const result = await trx.insertInto('executions').values({
        id: input.id, repo: input.repo, pr_number: input.prNumber, merge_sha: input.mergeSha, head_sha: input.headSha,
        plan_id: input.planId, plan_hash: input.planHash, incident_id: input.incidentId, state: 'claimed', reason: null,
        context: input.context, record: null, reported: 0, owner, lease_until: now + leaseMs, created_at: now, updated_at: now, finished_at: null,
      }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    });
  }

  /** Takes over an unfinished execution whose lease ran out; the row when this process now owns it. */
  async takeOver(id: string, owner: string, now: number, leaseMs: number): Promise<ExecutionsTable | null> {
    return this.store.writeTransaction(async (trx) => {
      const row = await trx.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || (row.reported === 1 && FINISHED.includes(row.state as ExecutionState))) return null;
      if (row.owner !== owner && Number(row.lease_until ?? 0) >= now) return null;
      const result = await trx.updateTable('executions').set({ owner, lease_until: now + leaseMs, updated_at: now })
        .where('id', '=', id).where((eb) => (row.owner === null ? eb('owner', 'is', null) : eb('owner', '=', row.owner)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? { ...row, owner, lease_until: now + leaseMs } : null;
    });
  }

  /** Extends the lease; false when another process took the execution over. */
  async renew(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.store.writeTransaction((trx) => trx.updateTable('executions').set({ lease_until: now + leaseMs })
      .where('id', '=', id).where('owner', '=', owner).executeTakeFirst());
    return Number(result.numUpdatedRows) === 1;
  }

  /** Updates the execution if this process still owns it. */
  async update(id: string, owner: string, patch: Partial<Pick<ExecutionsTable, 'state' | 'reason' | 'context' | 'record' | 'reported' | 'finished_at' | 'plan_id' | 'plan_hash' | 'incident_id'>>, now: number): Promise<boolean> {
    const result = await this.store.writeTransaction((trx) => trx.updateTable('executions').set({ ...patch, updated_at: now })
      .where('id', '=', id).where('owner', '=', owner).executeTakeFirst());
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives up the lease (after reporting), so nothing waits for it to run out. */
  async release(id: string, owner: string): Promise<void> {
    await this.store.writeTransaction((trx) => trx.updateTable('executions').set({ owner: null, lease_until: null }).where('id', '=', id).where('owner', '=', owner).execute());
  }

  /**
   * The journal entry for one action, written and committed before it runs.
   * Only the lease holder may write it; an entry left pending by a dead
   * process is handed to the new owner, who must ask the connector.
   */
  async startAction(executionId: string, owner: string, action: { key: string; index: number; kind: string }, now: number): Promise<ActionClaim> {
    return this.store.writeTransaction(async (trx) => {
      const execution = await trx.selectFrom('executions').select(['owner', 'lease_until']).where('id', '=', executionId).executeTakeFirst();
      if (!execution || execution.owner !== owner || Number(execution.lease_until ?? 0) < now) return { status: 'lost' } as const;
      const existing = await trx.selectFrom('execution_actions').selectAll().where('key', '=', action.key).executeTakeFirst();
      if (existing) {
        if (existing.state !== 'pending') return { status: 'existing', row: existing } as const;
        await trx.updateTable('execution_actions').set({ owner, attempts: existing.attempts + 1 }).where('key', '=', action.key).execute();
        return { status: 'existing', row: { ...existing, owner, attempts: existing.attempts + 1 } } as const;
      }
      const row: ExecutionActionsTable = { key: action.key, execution_id: executionId, idx: action.index, kind: action.kind, state: 'pending', detail: '', checkpoint: null, owner, attempts: 1, started_at: now, finished_at: null };
      await trx.insertInto('execution_actions').values(row).execute();
      return { status: 'fresh', row } as const;
    });
  }

  async checkpoint(key: string, owner: string, data: Record<string, unknown>): Promise<void> {
    await this.store.writeTransaction((trx) => trx.updateTable('execution_actions').set({ checkpoint: JSON.stringify(data) }).where('key', '=', key).where('owner', '=', owner).execute());
  }

  async finishAction(key: string, owner: string, state: Exclude<ActionState, 'pending'>, detail: string, now: number): Promise<void> {
    await this.store.writeTransaction((trx) => trx.updateTable('execution_actions').set({ state, detail, finished_at: now }).where('key', '=', key).where('owner', '=', owner).execute());
  }

  /** Records an action that was never started (an earlier one failed, or execution was paused). */
  async skipAction(executionId: string, owner: string, action: { key: string; index: number; kind: string }, detail: string, now: number): Promise<void> {
    await this.store.writeTransaction(async (trx) => {
      await trx.insertInto('execution_actions').values({ key: action.key, execution_id: executionId, idx: action.index, kind: action.kind, state: 'skipped', detail, checkpoint: null, owner, attempts: 0, started_at: now, finished_at: now })
        .onConflict((oc) => oc.doNothing()).execute();
    });
  }

  actions(executionId: string): Promise<ExecutionActionsTable[]> {
    return this.store.db.selectFrom('execution_actions').selectAll().where('execution_id', '=', executionId).orderBy('idx').execute();
  }

  /** Executions a process should pick up: unfinished or unreported, with no live lease. */
  async resumable(now: number): Promise<ExecutionsTable[]> {
    return this.store.db.selectFrom('executions').selectAll()
      .where((eb) => eb.or([eb('state', 'in', ['claimed', 'running']), eb('reported', '=', 0)]))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('created_at').limit(100).execute();
  }

  /** Failed executions of `repo` that finished at or after `since` (the breaker counts them; a pause mid-plan is not one). */
  async failuresSince(repo: string, since: number): Promise<{ count: number; last: number | null }> {
    const row = await this.store.db.selectFrom('executions')
      .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(finished_at)`.as('last')])
      .where('repo', '=', repo).where('state', '=', 'failed').where('reason', '=', BROKE).where('finished_at', '>=', since)
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), last: row?.last === null || row?.last === undefined ? null : Number(row.last) };
  }

  list(filter: { repo?: string; limit?: number } = {}): Promise<ExecutionsTable[]> {
    let query = this.store.db.selectFrom('executions').selectAll().orderBy('created_at', 'desc').limit(filter.limit ?? 50);
    if (filter.repo) query = query.where('repo', '=', filter.repo);
    return query.execute();
  }
}
