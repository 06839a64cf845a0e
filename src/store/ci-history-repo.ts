import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { JobOutcome } from '../diagnosis/history.js';
import type { Db } from './store.js';

/** CI job outcomes, for flaky and broken-trunk decisions (src/diagnosis/history.ts). */
export class CiHistoryRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Records an outcome; recording the same job attempt again updates it (webhooks are redelivered). */
  async record(outcome: JobOutcome): Promise<void> {
    const id = createHash('sha256').update([outcome.repo, outcome.runId, outcome.runAttempt, outcome.job].join('\u0000')).digest('hex').slice(0, 32);
    const row = {
      id,
      repo: outcome.repo,
      branch: outcome.branch,
      is_default_branch: outcome.isDefaultBranch ? 1 : 0,
      sha: outcome.sha,
      workflow: outcome.workflow,
      job: outcome.job,
      run_id: outcome.runId,
      run_attempt: outcome.runAttempt,
      conclusion: outcome.conclusion,
      signature: outcome.signature ?? null,
      category: null,
      pr_number: outcome.prNumber ?? null,
      occurred_at: outcome.occurredAt,
      recorded_at: this.clock.now(),
    };
    await this.db
      .insertInto('ci_failure_history')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ conclusion: row.conclusion, signature: row.signature, occurred_at: row.occurred_at, recorded_at: row.recorded_at }))
      .execute();
  }

  /**
   * The history a decision about this job needs: every outcome of the same
   * workflow and job since `since`, on any branch (newest first, capped).
   */
  async forJob(repo: string, workflow: string, job: string, since: number, limit = 500): Promise<JobOutcome[]> {
    const rows = await this.db
      .selectFrom('ci_failure_history')
      .selectAll()
      .where('repo', '=', repo)
      .where('workflow', '=', workflow)
      .where('job', '=', job)
      .where('occurred_at', '>=', since)
      .orderBy('occurred_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const outcome: JobOutcome = {
        repo: r.repo,
        branch: r.branch,
        isDefaultBranch: r.is_default_branch === 1,
        sha: r.sha,
        workflow: r.workflow,
        job: r.job,
        runId: r.run_id,
        runAttempt: r.run_attempt,
        conclusion: r.conclusion,
        occurredAt: r.occurred_at,
      };
      if (r.signature !== null) outcome.signature = r.signature;
      if (r.pr_number !== null) outcome.prNumber = r.pr_number;
      return outcome;
    });
  }

  /** Drops outcomes older than `before` (history is only needed for a window). */
  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('ci_failure_history').where('occurred_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
