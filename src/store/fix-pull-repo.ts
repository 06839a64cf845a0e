import { sql } from 'kysely';
import type { FixPullFact, HandoffWindow } from '../pipeline/handoff/model.js';
import type { FixPullEventsTable, FixPullRequestsTable } from './schema.js';
import type { Db } from './store.js';
import { noopTelemetry, type Telemetry } from '../ops/telemetry.js';

/** The PR as a webhook carries it: enough to create the row when the first event seen is not `opened`. */
export interface FixPullSnapshot {
  repo: string;
  number: number;
  url: string;
  title: string;
  branch: string;
  proposalKey: string | null;
  planId: string | null;
  author: string | null;
  openedAt: number;
}

/** One lifecycle event of a pitcrew fix PR, from `pull_request` or `pull_request_review`. */
export interface FixPullEvent {
  /** The webhook delivery id: a redelivered webhook records nothing new. */
  deliveryId: string;
  kind: FixPullEventsTable['kind'];
  pull: FixPullSnapshot;
  actor: string | null;
  /** When it happened on GitHub (closed_at, merged_at, submitted_at…), epoch ms. */
  at: number;
}

export interface FixPullCounts {
  open: number;
  /** Open with no approval and no changes requested. */
  awaitingReview: number;
  changesRequested: number;
  /** Open and approved, not merged yet. */
  approved: number;
  merged: number;
  closedUnmerged: number;
}

/**
 * Fix-PR lifecycle rows. Webhooks can arrive out of order (a review after the
 * close), so state only moves for an event at least as new as the last one
 * that moved it, and each event is logged once per delivery.
 */
export class FixPullRepo {
  constructor(private readonly db: Db) {}

  /** Records the event; returns false when this delivery was recorded already. Run it in a write transaction. */
  async record(event: FixPullEvent, now: number): Promise<boolean> {
    const id = `${event.deliveryId}:${event.kind}`;
    const seen = await this.db.selectFrom('fix_pull_events').select('id').where('id', '=', id).executeTakeFirst();
    if (seen) return false;
    await this.db.insertInto('fix_pull_events').values({ id, repo: event.pull.repo, number: event.pull.number, kind: event.kind, actor: event.actor, at: event.at, recorded_at: now }).execute();

    const current = await this.db.selectFrom('fix_pull_requests').selectAll().where('repo', '=', event.pull.repo).where('number', '=', event.pull.number).executeTakeFirst();
    const row: FixPullRequestsTable = current ?? {
      repo: event.pull.repo,
      number: event.pull.number,
      url: event.pull.url,
      title: event.pull.title,
      branch: event.pull.branch,
      proposal_key: event.pull.proposalKey,
      plan_id: event.pull.planId,
      author: event.pull.author,
      state: 'open',
      state_at: event.pull.openedAt,
      review: 'none',
      review_at: null,
      opened_at: event.pull.openedAt,
      closed_at: null,
      closed_by: null,
      merged_at: null,
      changes_requested_at: null,
      changes_requested_by: null,
      approved_at: null,
      approved_by: null,
      updated_at: now,
    };
    // Title, plan and key follow the PR (pitcrew updates its PR when the plan changes).
    row.title = event.pull.title;
    row.url = event.pull.url;
    row.proposal_key = event.pull.proposalKey ?? row.proposal_key;
    row.plan_id = event.pull.planId ?? row.plan_id;
    row.updated_at = now;
    applyEvent(row, event);
    if (event.kind === 'approved' || event.kind === 'changes_requested') row.review = await this.reviewVerdict(event.pull.repo, event.pull.number);
    if (current) {
      const { repo, number, ...rest } = row;
      await this.db.updateTable('fix_pull_requests').set(rest).where('repo', '=', repo).where('number', '=', number).execute();
    } else {
      await this.db.insertInto('fix_pull_requests').values(row).execute();
    }
    return true;
  }

  /**
   * The reviewers' verdict as GitHub computes it: each reviewer's latest
   * review counts; one outstanding change request outweighs any approvals.
   * (Informational: the gate's `pitcrew/gate` status is what decides.)
   */
  private async reviewVerdict(repo: string, number: number): Promise<FixPullRequestsTable['review']> {
    const reviews = await this.db.selectFrom('fix_pull_events').select(['actor', 'kind', 'at'])
      .where('repo', '=', repo).where('number', '=', number).where('kind', 'in', ['approved', 'changes_requested'])
      .orderBy('at').orderBy('recorded_at').execute();
    const latest = new Map<string, string>();
    for (const review of reviews) latest.set(review.actor ?? '', review.kind);
    const verdicts = [...latest.values()];
    if (verdicts.includes('changes_requested')) return 'changes_requested';
    return verdicts.includes('approved') ? 'approved' : 'none';
  }

  /** Fix PRs open now, plus those closed, merged or reviewed within the window. */
  async forHandoff(window: HandoffWindow, limit = 1_000): Promise<FixPullFact[]> {
    const rows = await this.db
      .selectFrom('fix_pull_requests')
      .selectAll()
      .where((eb) => eb.or([
        eb('state', '=', 'open'),
        eb.and([eb('state_at', '>=', window.from), eb('state_at', '<', window.to)]),
        eb.and([eb('changes_requested_at', '>=', window.from), eb('changes_requested_at', '<', window.to)]),
      ]))
      .orderBy('opened_at')
      .limit(limit)
      .execute();
    return rows.map(toFact);
  }

  /** Totals by lifecycle state, for metrics gauges. */
  async counts(): Promise<FixPullCounts> {
    const rows = await this.db
      .selectFrom('fix_pull_requests')
      .select(['state', 'review', sql<number>`count(*)`.as('n')])
      .groupBy(['state', 'review'])
      .execute();
    const counts: FixPullCounts = { open: 0, awaitingReview: 0, changesRequested: 0, approved: 0, merged: 0, closedUnmerged: 0 };
    for (const row of rows) {
      const n = Number(row.n);
      if (row.state === 'merged') counts.merged += n;
      else if (row.state === 'closed') counts.closedUnmerged += n;
      else {
        counts.open += n;
        if (row.review === 'approved') counts.approved += n;
        else if (row.review === 'changes_requested') counts.changesRequested += n;
        else counts.awaitingReview += n;
      }
    }
    return counts;
  }

  /** Lifecycle events since `since`, by kind (for rates: closed unmerged, changes requested…). */
  async eventCounts(since: number): Promise<Record<FixPullEventsTable['kind'], number>> {
    const rows = await this.db.selectFrom('fix_pull_events').select(['kind', sql<number>`count(*)`.as('n')]).where('at', '>=', since).groupBy('kind').execute();
    const counts: Record<FixPullEventsTable['kind'], number> = { opened: 0, reopened: 0, merged: 0, closed_unmerged: 0, approved: 0, changes_requested: 0 };
    for (const row of rows) counts[row.kind] = Number(row.n);
    return counts;
  }
}

function applyEvent(row: FixPullRequestsTable, event: FixPullEvent): void {
  const stateEvent = event.kind === 'opened' || event.kind === 'reopened' || event.kind === 'merged' || event.kind === 'closed_unmerged';
  if (stateEvent && event.at >= Number(row.state_at)) {
    row.state_at = event.at;
    if (event.kind === 'merged') {
      row.state = 'merged';
      row.merged_at = event.at;
      row.closed_at = event.at;
      row.closed_by = event.actor;
    } else if (event.kind === 'closed_unmerged') {
      row.state = 'closed';
      row.closed_at = event.at;
      row.closed_by = event.actor;
    } else {
      row.state = 'open';
      row.closed_at = null;
      row.closed_by = null;
    }
  }
  if (event.kind === 'approved' || event.kind === 'changes_requested') {
    if (event.kind === 'changes_requested' && event.at >= Number(row.changes_requested_at ?? 0)) {
      row.changes_requested_at = event.at;
      row.changes_requested_by = event.actor;
    }
    if (event.kind === 'approved' && event.at >= Number(row.approved_at ?? 0)) {
      row.approved_at = event.at;
      row.approved_by = event.actor;
    }
    if (event.at >= Number(row.review_at ?? 0)) row.review_at = event.at;
  }
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

function toFact(row: FixPullRequestsTable): FixPullFact {
  return {
    repo: row.repo,
    number: Number(row.number),
    url: row.url,
    title: row.title,
    proposalKey: row.proposal_key,
    state: row.state,
    review: row.review,
    openedAt: Number(row.opened_at),
    closedAt: num(row.closed_at),
    closedBy: row.closed_by,
    changesRequestedAt: num(row.changes_requested_at),
    changesRequestedBy: row.changes_requested_by,
  };
}

/** Records fix-PR events in their own write transaction (the webhook handler's port). */
/**
 * Records fix-PR lifecycle events; a first-time override (closed unmerged,
 * changes requested) is also counted in the metrics, once per delivery.
 */
export function storeFixPullRecorder(
  store: { writeTransaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> },
  now: () => number,
  telemetry: Pick<Telemetry, 'humanOverride'> = noopTelemetry,
): { record(event: FixPullEvent): Promise<boolean> } {
  return {
    record: async (event) => {
      const recorded = await store.writeTransaction((trx) => new FixPullRepo(trx).record(event, now()));
      if (recorded && event.kind === 'closed_unmerged') telemetry.humanOverride('pr_closed_unmerged', event.pull.repo);
      if (recorded && event.kind === 'changes_requested') telemetry.humanOverride('changes_requested', event.pull.repo);
      return recorded;
    },
  };
}
