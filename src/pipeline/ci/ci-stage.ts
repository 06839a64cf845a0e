import { checkAnnotations, type CheckAnnotation } from '../../diagnosis/annotations.js';
import { capLogSource, capWarning, DEFAULT_MAX_LOG_BYTES } from '../../diagnosis/capped-source.js';
import type { Diagnoser, Diagnosis } from '../../diagnosis/diagnose.js';
import { fixOffers } from '../../diagnosis/fix-offers.js';
import { decideBrokenTrunk, decideFlaky, DEFAULT_FLAKY_POLICY, type CurrentFailure } from '../../diagnosis/history.js';
import { fromText } from '../../diagnosis/log-source.js';
import { commentAction, renderComment, type JobReport } from '../../diagnosis/render.js';
import { ciFailureDocument, findSimilarFailures, similarFailureQuery } from '../../diagnosis/similar.js';
import type { Clock } from '../../domain/clock.js';
import type { KeyedLock } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import { emptyState, readState, toRanges, withState, type CommentState, type StateJob } from './comment-state.js';
import type { CiFailureMemory, CiHistory, CiHost, CiJob, CiRunEvent } from './ports.js';

/**
 * The CI-failure stage: a finished CI run in, one PR comment per PR out.
 *
 * A failed run: each failed job's log is streamed (capped), diagnosed with
 * what this repository taught pitcrew, judged flaky or broken-trunk against
 * the stored history, linked to similar past failures and remembered; then
 * the PR's single pitcrew comment is written or edited in place. A green
 * run removes its workflow from the comment's failing set; when nothing is
 * left failing, the same comment says resolved. Every outcome is recorded,
 * default branch included, because flaky and broken-trunk decisions need it.
 */
export interface CiStageDeps {
  diagnoser: Diagnoser;
  history: CiHistory;
  /** The `ci_failures` memory; absent (or not open yet) means no similar failures. */
  memory?: () => CiFailureMemory | undefined;
  /** The full Redactor (async): every comment body passes through it before it is posted (I3). */
  redact: (text: string) => Promise<string>;
  /** The synchronous part of it, for text stored in memory and queries. */
  redactSync: (text: string) => string;
  clock: Clock;
  log: Logger;
  dryRun: boolean;
  mutex: KeyedLock;
  maxLogBytes?: number;
  /** At most this many failed jobs are diagnosed per run. */
  maxJobs?: number;
  annotations?: boolean;
}

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);
const FINISHED = new Set(['success', 'failure', 'timed_out', 'startup_failure', 'cancelled', 'skipped', 'neutral', 'action_required', 'stale']);

export interface CiRunOutcome {
  diagnosed: Array<{ job: string; category: string; signature: string; flaky: boolean; brokenTrunk: boolean }>;
  comments: Array<{ pull: number; action: 'create' | 'update' | 'none' | 'dry_run'; state: 'failing' | 'resolved' | 'unchanged' }>;
}

export async function handleCiRun(host: CiHost, run: CiRunEvent, deps: CiStageDeps): Promise<CiRunOutcome> {
  const log = deps.log.child({ repo: run.repo, workflow: run.workflow, runId: run.runId, attempt: run.runAttempt });
  const outcome: CiRunOutcome = { diagnosed: [], comments: [] };
  const failedJobs = run.jobs.filter((job) => FAILED.has(job.conclusion));
  const reports: JobReport[] = [];
  const stateJobs: StateJob[] = [];
  const annotations: CheckAnnotation[] = [];

  for (const job of failedJobs.slice(0, deps.maxJobs ?? 10)) {
    const diagnosis = await diagnoseJob(host, job, run, deps);
    const report = await judge(job, diagnosis, run, deps);
    reports.push(report);
    stateJobs.push({
      id: job.id, name: job.name, category: diagnosis.category, signature: diagnosis.signature.id, spans: toRanges(diagnosis.lineNumbers).slice(0, 200),
      offers: (report.offers ?? []).map((offer) => ({ kind: offer.kind, ...('command' in offer ? { command: offer.command } : {}) })),
    });
    if (deps.annotations !== false) annotations.push(...checkAnnotations(diagnosis, deps.redactSync));
    outcome.diagnosed.push({ job: job.name, category: diagnosis.category, signature: diagnosis.signature.id, flaky: report.flaky?.flaky === true, brokenTrunk: report.brokenTrunk?.brokenTrunk === true });
  }
  const signatures = new Map(reports.map((r) => [r.job, r.diagnosis.signature.id]));
  for (const job of run.jobs.filter((j) => FINISHED.has(j.conclusion))) {
    await deps.history.record({
      repo: run.repo, branch: run.branch, isDefaultBranch: run.branch === run.defaultBranch, sha: run.sha, workflow: run.workflow, job: job.name,
      runId: run.runId, runAttempt: run.runAttempt, conclusion: job.conclusion, occurredAt: run.occurredAt,
      ...(signatures.has(job.name) ? { signature: signatures.get(job.name)! } : {}),
      ...(run.pulls[0] ? { prNumber: run.pulls[0].number } : {}),
    });
  }
  if (failedJobs.length > 0) log.info({ jobs: outcome.diagnosed }, 'ci run diagnosed');

  for (const pull of run.pulls) {
    if (pull.headSha !== run.sha) {
      log.info({ pull: pull.number, head: pull.headSha }, 'run is for an older commit of the PR; comment left alone');
      continue;
    }
    outcome.comments.push(await deps.mutex.run(`ci-comment:${run.repo}#${pull.number}`, () => updateComment(host, run, pull.number, failedJobs.length > 0 ? { reports, jobs: stateJobs } : null, deps)));
  }

  if (annotations.length > 0 && run.pulls.length > 0 && !deps.dryRun) {
    const summary = reports.map((r) => `${r.job}: ${r.diagnosis.category.replace(/_/g, ' ')}`).join('\n');
    await host.annotate(run.sha, await deps.redact(summary), annotations.slice(0, 50)).catch((error: Error) => log.warn({ err: error.message }, 'could not add ci annotations'));
  }
  return outcome;
}

async function diagnoseJob(host: CiHost, job: CiJob, run: CiRunEvent, deps: CiStageDeps): Promise<Diagnosis> {
  const maxBytes = deps.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES;
  try {
    const { source, report } = capLogSource(await host.openLog(job), { maxBytes });
    const diagnosis = await deps.diagnoser.diagnose(source, { repo: run.repo });
    const warning = capWarning(report, maxBytes);
    if (warning) diagnosis.warnings.push(warning);
    return diagnosis;
  } catch (error) {
    deps.log.warn({ repo: run.repo, job: job.name, err: (error as Error).message }, 'ci job log could not be read');
    const diagnosis = await deps.diagnoser.diagnose(fromText(job.name, ''), { repo: run.repo });
    diagnosis.warnings.push(`the job log could not be read: ${(error as Error).message}`);
    return diagnosis;
  }
}

async function judge(job: CiJob, diagnosis: Diagnosis, run: CiRunEvent, deps: CiStageDeps): Promise<JobReport> {
  const now = deps.clock.now();
  const current: CurrentFailure = { repo: run.repo, branch: run.branch, sha: run.sha, workflow: run.workflow, job: job.name, runId: run.runId, runAttempt: run.runAttempt, signature: diagnosis.signature.id, occurredAt: run.occurredAt };
  const history = await deps.history.forJob(run.repo, run.workflow, job.name, now - DEFAULT_FLAKY_POLICY.windowMs);
  const flaky = decideFlaky(current, history, now);
  const base = run.pulls[0]?.base ?? run.defaultBranch;
  const brokenTrunk = run.branch === base ? undefined : decideBrokenTrunk(current, base, history);
  const report: JobReport = { job: job.name, workflow: run.workflow, diagnosis, flaky, ...(brokenTrunk ? { brokenTrunk } : {}), ...(job.url ? { url: job.url } : {}) };
  const offers = fixOffers(diagnosis, flaky);
  if (offers.length > 0) report.offers = offers;

  const memory = deps.memory?.();
  if (memory && diagnosis.lineNumbers.length > 0) {
    const document = ciFailureDocument(run.repo, diagnosis, { job: job.name, workflow: run.workflow, branch: run.branch, sha: run.sha, occurredAt: run.occurredAt, ...(job.url ? { url: job.url } : {}) }, deps.redactSync);
    const found = await findSimilarFailures(memory, similarFailureQuery(run.repo, diagnosis, deps.redactSync), { exclude: [document.id] });
    report.similar = found.results;
    if (found.error) report.similarError = found.error;
    if (!deps.dryRun) {
      await memory.remember(document, `${run.repo} ${run.workflow} / ${job.name}: ${diagnosis.category.replace(/_/g, ' ')} on ${run.branch}`)
        .catch((error: Error) => deps.log.warn({ repo: run.repo, err: error.message }, 'could not remember the ci failure'));
    }
  }
  return report;
}

async function updateComment(host: CiHost, run: CiRunEvent, pull: number, failing: { reports: JobReport[]; jobs: StateJob[] } | null, deps: CiStageDeps): Promise<CiRunOutcome['comments'][number]> {
  const existing = await host.findComment(pull);
  let state = (existing && readState(existing.body)) || emptyState(run.sha);
  if (existing) state = await learnFromReactions(host, existing.id, state, deps);
  const previousSha = state.sha;
  if (state.sha !== run.sha) state = { ...emptyState(run.sha), confirmed: state.confirmed, failing: failing ? {} : state.failing };
  const before = { ...state.failing };

  if (failing) {
    state.failing[run.workflow] = { runId: run.runId, runAttempt: run.runAttempt, jobs: failing.jobs, ...(run.url ? { url: run.url } : {}) };
  } else {
    delete state.failing[run.workflow];
  }
  const stillFailing = Object.entries(state.failing);
  let body: string;
  let shown: 'failing' | 'resolved';
  if (failing) {
    const others = stillFailing.filter(([workflow]) => workflow !== run.workflow).map(([workflow, w]) => ({ workflow, jobs: w.jobs.map((j) => ({ job: j.name, category: j.category })), ...(w.url ? { url: w.url } : {}) }));
    body = renderComment({ state: 'failing', sha: run.sha, jobs: failing.reports, others, updatedAt: deps.clock.now(), ...(run.url ? { runUrl: run.url } : {}) }, { redact: deps.redactSync });
    shown = 'failing';
  } else if (stillFailing.length === 0) {
    if (!existing || Object.keys(before).length === 0) return { pull, action: 'none', state: 'unchanged' };
    const previousJobs = Object.values(before).flatMap((w) => w.jobs.map((j) => ({ job: j.name, category: j.category })));
    body = renderComment({ state: 'resolved', sha: run.sha, updatedAt: deps.clock.now(), ...(run.url ? { runUrl: run.url } : {}), ...(previousJobs.length > 0 ? { previous: { sha: previousSha, jobs: previousJobs } } : {}) }, { redact: deps.redactSync });
    shown = 'resolved';
  } else {
    // Another workflow still fails on this commit: the comment keeps saying so.
    if (!existing) return { pull, action: 'none', state: 'unchanged' };
    body = stripState(existing.body);
    shown = 'failing';
  }
  const final = withState(await deps.redact(body), state);
  const action = commentAction(existing ? [{ id: existing.id, body: existing.body, byPitcrew: true }] : [], final);
  if (action.kind === 'none') return { pull, action: 'none', state: 'unchanged' };
  if (deps.dryRun) {
    deps.log.info({ repo: run.repo, pull, state: shown }, `[dry-run] would ${action.kind} the ci diagnosis comment`);
    return { pull, action: 'dry_run', state: shown };
  }
  if (action.kind === 'create') await host.createComment(pull, final);
  else await host.updateComment(action.id, final);
  return { pull, action: action.kind, state: shown };
}

/** The rendered part of a comment body (without the hidden state). */
export function stripState(body: string): string {
  const at = body.lastIndexOf('<!-- pitcrew:ci-state ');
  return at < 0 ? body : body.slice(0, at);
}

/**
 * A 👍 on the comment from someone with write access confirms what it shows.
 * GitHub sends no webhook for reactions, so they are read whenever pitcrew
 * touches the comment again (the next CI run, any `/pitcrew` command).
 */
export async function learnFromReactions(host: CiHost, commentId: number, state: CommentState, deps: CiStageDeps): Promise<CommentState> {
  const pending = Object.values(state.failing).flatMap((w) => w.jobs).filter((job) => !state.confirmed.includes(job.signature));
  if (pending.length === 0) return state;
  let approver: string | undefined;
  for (const login of await host.thumbsUp(commentId).catch(() => [] as string[])) {
    if (login.endsWith('[bot]')) continue;
    if (await host.canWrite(login).catch(() => false)) {
      approver = login;
      break;
    }
  }
  if (!approver) return state;
  const confirmed = await confirmJobs(host, pending, { source: 'reaction', by: approver }, deps);
  return { ...state, confirmed: [...state.confirmed, ...confirmed].slice(-200) };
}

/** Stores the shown lines of each job as a confirmed diagnosis; returns the signatures stored. */
export async function confirmJobs(host: CiHost, jobs: StateJob[], who: { source: 'reaction' | 'command'; by: string }, deps: CiStageDeps): Promise<string[]> {
  const done: string[] = [];
  for (const job of jobs) {
    if (job.spans.length === 0) continue;
    if (deps.dryRun) {
      deps.log.info({ repo: host.repo, job: job.name, by: who.by }, '[dry-run] would store the confirmed ci diagnosis');
      done.push(job.signature);
      continue;
    }
    try {
      const source = await host.openLog({ id: job.id, name: job.name, conclusion: 'failure' });
      const { source: capped } = capLogSource(source, { maxBytes: deps.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES });
      await deps.diagnoser.confirm(capped, {
        repo: host.repo,
        spans: job.spans.map(([start, end]) => ({ start_line: start, end_line: end })),
        category: job.category,
        source: who.source,
        confirmedBy: who.by,
        logRef: `${host.repo} job ${job.id}`,
      });
      done.push(job.signature);
      deps.log.info({ repo: host.repo, job: job.name, by: who.by, source: who.source, signature: job.signature }, 'ci diagnosis confirmed');
    } catch (error) {
      deps.log.warn({ repo: host.repo, job: job.name, err: (error as Error).message }, 'could not store the confirmed ci diagnosis');
    }
  }
  return done;
}
