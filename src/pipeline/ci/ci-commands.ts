import { OFFER_WORDS } from '../../diagnosis/render.js';
import type { Policy } from '../../domain/policy.js';
import type { ProposeOutcome, ProposeRequest } from '../ports/forge.js';
import { confirmJobs, learnFromReactions, stripState, type CiStageDeps } from './ci-stage.js';
import { readState, withState, type CommentState, type StateJob } from './comment-state.js';
import { fixPlan } from './fix-plan.js';
import type { CiHost } from './ports.js';

/**
 * `/pitcrew confirm [job]` and `/pitcrew fix <rerun|lockfile|snapshots> [job]`
 * in a PR comment. Only people with write access are heard: a confirmation
 * teaches pitcrew how to read this repository's logs, and a fix request
 * opens a PR, so a drive-by commenter must not be able to do either.
 * The answer is written into pitcrew's own comment (no new comment).
 */
export type CiCommand =
  | { kind: 'confirm'; job?: string }
  | { kind: 'fix'; word: string; job?: string };

const COMMAND = /^\/pitcrew\s+(confirm|fix)\b[ \t]*([^\n]*)$/m;

/** The command in a comment body, or undefined (only the first `/pitcrew` line counts). */
export function parseCiCommand(body: string): CiCommand | undefined {
  const match = COMMAND.exec(body);
  if (!match) return undefined;
  const args = match[2]!.trim().split(/\s+/).filter(Boolean);
  if (match[1] === 'confirm') return args[0] ? { kind: 'confirm', job: args.join(' ') } : { kind: 'confirm' };
  return { kind: 'fix', word: (args[0] ?? '').toLowerCase(), ...(args[1] ? { job: args.slice(1).join(' ') } : {}) };
}

export interface CiCommandDeps extends CiStageDeps {
  propose?: (request: ProposeRequest) => Promise<ProposeOutcome>;
  policy?: Policy;
}

export interface CommandOutcome {
  status: 'ignored' | 'refused' | 'no_comment' | 'confirmed' | 'proposed' | 'failed';
  detail: string;
}

export async function handleCiCommand(host: CiHost, input: { pull: number; login: string; command: CiCommand }, deps: CiCommandDeps): Promise<CommandOutcome> {
  const log = deps.log.child({ repo: host.repo, pull: input.pull, by: input.login, command: input.command.kind });
  if (input.login.endsWith('[bot]')) return { status: 'ignored', detail: 'bots do not command pitcrew' };
  if (!(await host.canWrite(input.login))) {
    log.warn('ci command from someone without write access ignored');
    return { status: 'refused', detail: `${input.login} has no write access to ${host.repo}` };
  }
  return deps.mutex.run(`ci-comment:${host.repo}#${input.pull}`, async () => {
    const comment = await host.findComment(input.pull);
    const read = comment ? readState(comment.body) : undefined;
    if (!comment || !read) return { status: 'no_comment', detail: 'pitcrew has no CI diagnosis on this PR' };
    let state: CommentState = await learnFromReactions(host, comment.id, read, deps);
    const jobs = Object.values(state.failing).flatMap((w) => w.jobs.map((job) => ({ job, workflow: w })));
    const pick = (name?: string) => jobs.filter(({ job }) => !name || job.name.toLowerCase() === name.toLowerCase());

    let note: string;
    let outcome: CommandOutcome;
    if (input.command.kind === 'confirm') {
      const chosen = pick(input.command.job).map(({ job }) => job).filter((job) => !state.confirmed.includes(job.signature));
      const done = await confirmJobs(host, chosen, { source: 'command', by: input.login }, deps);
      state = { ...state, confirmed: [...state.confirmed, ...done].slice(-200) };
      const names = chosen.filter((j) => done.includes(j.signature)).map((j) => j.name);
      note = names.length > 0 ? `✔️ Diagnosis of ${names.map((n) => `\`${n}\``).join(', ')} confirmed by ${input.login}: pitcrew reads this repository's logs the same way from now on.` : `Nothing new to confirm (asked by ${input.login}).`;
      outcome = { status: 'confirmed', detail: names.join(', ') };
    } else {
      outcome = await proposeFix(host, input, state, pick(input.command.job), input.command.word, deps);
      note = outcome.status === 'proposed' ? `🔧 ${outcome.detail}` : `⚠️ ${outcome.detail}`;
    }
    const body = withNote(stripState(comment.body), note);
    const final = withState(await deps.redact(body), state);
    if (deps.dryRun) log.info({ outcome: outcome.status }, '[dry-run] would update the ci diagnosis comment');
    else if (final !== comment.body) await host.updateComment(comment.id, final);
    return outcome;
  });
}

async function proposeFix(host: CiHost, input: { pull: number; login: string }, state: CommentState, jobs: Array<{ job: StateJob; workflow: { runId: string } }>, word: string, deps: CiCommandDeps): Promise<CommandOutcome> {
  const kind = (Object.entries(OFFER_WORDS).find(([, w]) => w === word)?.[0]) as StateJob['offers'][number]['kind'] | undefined;
  if (!kind) return { status: 'failed', detail: `Unknown fix "${word}": use ${Object.values(OFFER_WORDS).map((w) => `/pitcrew fix ${w}`).join(', ')}.` };
  const target = jobs.find(({ job }) => job.offers.some((o) => o.kind === kind));
  if (!target) return { status: 'failed', detail: `pitcrew did not offer "${word}" for the failing jobs on ${state.sha.slice(0, 7)}.` };
  if (!deps.propose || !deps.policy) return { status: 'failed', detail: 'Fix PRs are not enabled on this pitcrew.' };
  const offer = target.job.offers.find((o) => o.kind === kind)!;
  const workflow = Object.entries(state.failing).find(([, w]) => w.jobs.includes(target.job))?.[0] ?? 'CI';
  const { plan, verdict } = fixPlan({
    repo: host.repo, pull: input.pull, kind, runId: target.workflow.runId, workflow, job: target.job.name, category: target.job.category,
    signature: target.job.signature, requestedBy: input.login, now: deps.clock.now(), ...(offer.command ? { command: offer.command } : {}),
  }, deps.policy);
  if (!plan) return { status: 'failed', detail: `The policy refuses this fix: ${verdict.reasons.join('; ')}.` };
  const proposed = await deps.propose({ repo: host.repo, plan, key: `ci-fix:${input.pull}:${kind}`, proposedBy: input.login });
  if (proposed.status === 'dry_run') return { status: 'proposed', detail: `[dry-run] would open a fix PR (${proposed.branch}).` };
  if (proposed.status === 'blocked') return { status: 'failed', detail: `The fix branch ${proposed.branch} was changed by someone else: ${proposed.reason}.` };
  return { status: 'proposed', detail: `Fix PR #${proposed.number} (${proposed.status}) for ${input.login}: it runs once approved and merged.` };
}

const NOTE_PREFIX = '<sub>pitcrew: ';

/** Replaces the note line at the end of the rendered body (one note at a time). */
function withNote(body: string, note: string): string {
  const lines = body.replace(/\n+$/, '').split('\n').filter((line) => !line.startsWith(NOTE_PREFIX));
  return `${lines.join('\n')}\n\n${NOTE_PREFIX}${note.replace(/[<>]/g, '')}</sub>\n`;
}
