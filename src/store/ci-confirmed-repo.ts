import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { PitcrewError } from '../domain/errors.js';
import { ConfirmedExample } from '../diagnosis/learning/example.js';
import type { Db } from './store.js';

export type ConfirmationSource = 'reaction' | 'command' | 'cli' | 'eval';

export interface ConfirmationMeta {
  signature: string;
  source: ConfirmationSource;
  confirmedBy?: string;
  /** Where the log came from (run/job id, file), for people. */
  logRef?: string;
}

/** The learning store: confirmed examples per repository. */
export interface ConfirmedExamples {
  add(example: ConfirmedExample, meta: ConfirmationMeta): Promise<void>;
  forRepo(repo: string, limit?: number): Promise<ConfirmedExample[]>;
}

/** Confirmed diagnoses in the SQL store (SQLite or Postgres). */
export class ConfirmedDiagnosisRepo implements ConfirmedExamples {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Adds a confirmed example; confirming the same failure again replaces the older one. */
  async add(example: ConfirmedExample, meta: ConfirmationMeta): Promise<void> {
    const row = {
      id: randomUUID(),
      repo: example.repo,
      signature: meta.signature,
      category: example.category ?? null,
      source: meta.source,
      confirmed_by: meta.confirmedBy ?? null,
      log_ref: meta.logRef ?? null,
      example: JSON.stringify(example),
      created_at: this.clock.now(),
    };
    await this.db
      .insertInto('ci_confirmed_diagnoses')
      .values(row)
      .onConflict((oc) => oc.columns(['repo', 'signature']).doUpdateSet({ category: row.category, source: row.source, confirmed_by: row.confirmed_by, log_ref: row.log_ref, example: row.example, created_at: row.created_at }))
      .execute();
  }

  /** The most recent examples of a repository, oldest first (at most `limit`). */
  async forRepo(repo: string, limit = 20): Promise<ConfirmedExample[]> {
    const rows = await this.db.selectFrom('ci_confirmed_diagnoses').select(['id', 'example']).where('repo', '=', repo).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.reverse().map((row) => {
      const parsed = ConfirmedExample.safeParse(JSON.parse(row.example));
      if (!parsed.success) {
        throw new PitcrewError('store_unavailable', `Stored confirmed diagnosis ${row.id} of ${repo} is not a valid example: ${parsed.error.issues[0]?.message}`,
          'The row was written by an incompatible version; delete it from ci_confirmed_diagnoses.');
      }
      return parsed.data;
    });
  }

  async count(repo: string): Promise<number> {
    const row = await this.db.selectFrom('ci_confirmed_diagnoses').select((eb) => eb.fn.countAll<number>().as('n')).where('repo', '=', repo).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** An in-memory learning store, for offline CLI runs that should not touch a database. */
export class InMemoryConfirmedExamples implements ConfirmedExamples {
  private readonly byRepo = new Map<string, Map<string, ConfirmedExample>>();

  async add(example: ConfirmedExample, meta: ConfirmationMeta): Promise<void> {
    const examples = this.byRepo.get(example.repo) ?? new Map<string, ConfirmedExample>();
    examples.delete(meta.signature);
    examples.set(meta.signature, example);
    this.byRepo.set(example.repo, examples);
  }

  async forRepo(repo: string, limit = 20): Promise<ConfirmedExample[]> {
    return [...(this.byRepo.get(repo)?.values() ?? [])].slice(-limit);
  }
}
