import type { Probot } from 'probot';
import { z } from 'zod/v4';
import type { Logger } from '../../ops/logger.js';
import { BRANCH_PREFIX } from '../../pipeline/propose/branch.js';
import type { FixPullEvent, FixPullSnapshot } from '../../store/fix-pull-repo.js';
import { PITCREW_LABEL } from './proposer.js';

/**
 * Records the lifecycle of pitcrew's fix PRs (a `pitcrew/` branch or the
 * `pitcrew` label) for the handoff and metrics: opened, reopened, merged,
 * closed unmerged, and reviews that approve or request changes. It only
 * records; the gate and the executor handle the same events on their own.
 */
export interface FixPullRecorder {
  /** False when this delivery was recorded before (redelivered webhook). */
  record(event: FixPullEvent): Promise<boolean>;
}

const Pull = z.object({
  number: z.number().int(),
  html_url: z.string(),
  title: z.string(),
  body: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  merged_at: z.string().nullish(),
  merged: z.boolean().nullish(),
  merged_by: z.object({ login: z.string() }).nullish(),
  user: z.object({ login: z.string() }).nullish(),
  head: z.object({ ref: z.string() }),
  labels: z.array(z.object({ name: z.string() })).default([]),
});
type Pull = z.infer<typeof Pull>;

const PullPayload = z.object({
  action: z.string(),
  pull_request: Pull,
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }).nullish(),
});

const ReviewPayload = z.object({
  action: z.string(),
  review: z.object({ state: z.string(), submitted_at: z.string().nullish(), user: z.object({ login: z.string() }).nullish() }),
  pull_request: Pull,
  repository: z.object({ full_name: z.string() }),
});

const MARKER = /<!-- pitcrew:proposal key=([A-Za-z0-9_.]+) plan=(\S+) -->/;

export function isFixPull(pull: Pick<Pull, 'head' | 'labels'>): boolean {
  return pull.head.ref.startsWith(BRANCH_PREFIX) || pull.labels.some((label) => label.name === PITCREW_LABEL);
}

export function snapshotOf(repo: string, pull: Pull): FixPullSnapshot {
  const marker = MARKER.exec(pull.body ?? '');
  // The branch is `pitcrew/<key>-<slug>`: the key ends at the first `-`.
  const fromBranch = pull.head.ref.startsWith(BRANCH_PREFIX) ? pull.head.ref.slice(BRANCH_PREFIX.length).split('-')[0] || null : null;
  return {
    repo,
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    branch: pull.head.ref,
    proposalKey: marker?.[1] ?? fromBranch,
    planId: marker?.[2] ?? null,
    author: pull.user?.login ?? null,
    openedAt: Date.parse(pull.created_at),
  };
}

const at = (iso: string | null | undefined, fallback: number) => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? fallback : ms;
};

/** The event a `pull_request` webhook means for the record, or null when it means nothing here. */
export function pullEvent(deliveryId: string, payload: unknown, now: number): FixPullEvent | null {
  const parsed = PullPayload.safeParse(payload);
  if (!parsed.success || !isFixPull(parsed.data.pull_request)) return null;
  const { action, pull_request: pull, repository, sender } = parsed.data;
  const snapshot = snapshotOf(repository.full_name, pull);
  if (action === 'opened') return { deliveryId, kind: 'opened', pull: snapshot, actor: snapshot.author, at: snapshot.openedAt };
  if (action === 'reopened') return { deliveryId, kind: 'reopened', pull: snapshot, actor: sender?.login ?? null, at: at(pull.updated_at, now) };
  if (action !== 'closed') return null;
  if (pull.merged) return { deliveryId, kind: 'merged', pull: snapshot, actor: pull.merged_by?.login ?? sender?.login ?? null, at: at(pull.merged_at, now) };
  return { deliveryId, kind: 'closed_unmerged', pull: snapshot, actor: sender?.login ?? null, at: at(pull.closed_at, now) };
}

/** The event a `pull_request_review` webhook means: approvals and change requests only. */
export function reviewEvent(deliveryId: string, payload: unknown, now: number): FixPullEvent | null {
  const parsed = ReviewPayload.safeParse(payload);
  if (!parsed.success || parsed.data.action !== 'submitted' || !isFixPull(parsed.data.pull_request)) return null;
  const state = parsed.data.review.state.toLowerCase();
  if (state !== 'approved' && state !== 'changes_requested') return null;
  return {
    deliveryId,
    kind: state,
    pull: snapshotOf(parsed.data.repository.full_name, parsed.data.pull_request),
    actor: parsed.data.review.user?.login ?? null,
    at: at(parsed.data.review.submitted_at, now),
  };
}

export function trackFixPulls(app: Probot, recorder: FixPullRecorder, log: Logger, now: () => number = Date.now): void {
  const record = async (event: FixPullEvent | null) => {
    if (!event) return;
    const fresh = await recorder.record(event);
    log.info({ repo: event.pull.repo, pull: event.pull.number, kind: event.kind, actor: event.actor, fresh }, 'fix PR lifecycle recorded');
  };
  app.on(['pull_request.opened', 'pull_request.reopened', 'pull_request.closed'], (context) => record(pullEvent(context.id, context.payload, now())));
  app.on('pull_request_review.submitted', (context) => record(reviewEvent(context.id, context.payload, now())));
}
