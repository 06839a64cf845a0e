import type { Context, Probot } from 'probot';
import { REPO_CONFIG_PATH } from '../../config/repo-config/schema.js';
import type { Logger } from '../../ops/logger.js';
import { CODEOWNERS_PATHS } from '../../pipeline/gate/codeowners.js';
import type { GateFacts, GateResult, RepoConfigRead } from '../../pipeline/gate/facts.js';
import { runGate, type GateIo, type GateStageDeps } from '../../pipeline/gate/run.js';
import { registerCiDiagnosis, type CiHandlerDeps } from './ci-handlers.js';
import { CONFIG_CHECK, reportConfig } from './config-check.js';
import type { GitHubForge } from './forge.js';
import type { Octokit } from './octokit.js';
import { readRepoConfig } from './repo-config-reader.js';
import { BRANCH_PREFIX } from '../../pipeline/propose/branch.js';
import { PITCREW_LABEL } from './proposer.js';
import { trackFixPulls, type FixPullRecorder } from './fix-pull-tracker.js';
import { registerOnMerged, type MergedHandler } from './on-merged.js';

/**
 * The Probot app: webhook events in, gate verdicts and config checks out.
 *
 *  - pull_request (opened, reopened, synchronize, edited, ready_for_review,
 *    converted_to_draft) and pull_request_review (submitted, edited,
 *    dismissed): evaluate the gate on the live PR and set `pitcrew/gate`;
 *  - push to the default branch that touches .github/pitcrew.yml or
 *    CODEOWNERS: report the config check, then re-evaluate open plan PRs;
 *  - check_run.rerequested on `pitcrew/config`: report it again;
 *  - installation created / repositories added: report broken configs.
 *
 * Merged PRs (pull_request.closed) go to the executor, see on-merged.ts.
 */
export interface AppDeps {
  forge: GitHubForge;
  gate: GateStageDeps;
  log: Logger;
  dryRun: boolean;
  /** Records fix-PR lifecycle events (handoff, metrics); off when absent. */
  fixPulls?: FixPullRecorder;
  /** CI-failure diagnosis (workflow_run, check_run, issue_comment); off when absent. */
  ci?: CiHandlerDeps;
  /** The executor's entry point for merged PRs (set once execution is wired; null: merges are only logged). */
  onMerged?: () => MergedHandler | null;
}

const PR_ACTIONS = ['opened', 'reopened', 'synchronize', 'edited', 'ready_for_review', 'converted_to_draft'] as const;
const REVIEW_ACTIONS = ['submitted', 'edited', 'dismissed'] as const;
const CONFIG_PATHS: string[] = [REPO_CONFIG_PATH, ...CODEOWNERS_PATHS];
const MAX_REPOS_PER_INSTALLATION_EVENT = 50;

export function pitcrewApp(deps: AppDeps) {
  return (app: Probot): void => {
    if (deps.ci) registerCiDiagnosis(app, deps.ci);
    app.on(PR_ACTIONS.map((action) => `pull_request.${action}` as const), async (context) => {
      await gate(context.octokit as Octokit, context.payload.repository.full_name, context.payload.pull_request.number, deps);
    });
    app.on(REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const), async (context) => {
      await gate(context.octokit as Octokit, context.payload.repository.full_name, context.payload.pull_request.number, deps);
    });
    app.on('push', (context) => onPush(context, deps));
    if (deps.fixPulls) trackFixPulls(app, deps.fixPulls, deps.log);
    registerOnMerged(app, deps.onMerged ?? (() => null), deps.log);
    app.on('check_run.rerequested', async (context) => {
      if (context.payload.check_run.name !== CONFIG_CHECK) return;
      const client = await deps.forge.client(context.payload.repository.full_name, context.octokit as Octokit);
      await report(client, await readRepoConfig(client, context.payload.check_run.head_sha), deps, { force: true });
    });
    app.on(['installation.created', 'installation_repositories.added'], async (context) => {
      const payload = context.payload as { repositories?: Array<{ full_name: string }>; repositories_added?: Array<{ full_name: string }> };
      const repos = (payload.repositories_added ?? payload.repositories ?? []).slice(0, MAX_REPOS_PER_INSTALLATION_EVENT);
      for (const { full_name: repo } of repos) {
        const client = await deps.forge.client(repo, context.octokit as Octokit);
        const { defaultBranch } = await client.info();
        const sha = await client.branchSha(defaultBranch);
        if (sha) await report(client, await readRepoConfig(client, sha), deps, { onlyFailures: true });
      }
    });
  };
}

async function gate(octokit: Octokit, repo: string, number: number, deps: AppDeps): Promise<GateResult> {
  const io: GateIo = {
    read: (ref) => deps.forge.readGateFacts(ref, octokit),
    publish: async (result: GateResult, facts: GateFacts) => {
      await deps.forge.publishGate(result, octokit, facts.htmlUrl);
      if (facts.config.status === 'invalid') await report(await deps.forge.client(repo, octokit), facts.config, deps, { onlyFailures: true });
    },
  };
  return runGate({ repo, number }, io, deps.gate);
}

async function onPush(context: Context<'push'>, deps: AppDeps): Promise<void> {
  const { payload } = context;
  const defaultBranch = payload.repository.default_branch;
  if (payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted) return;
  const touched = payload.created || payload.commits.length >= 20 || payload.commits.some((commit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].some((path) => CONFIG_PATHS.includes(path)));
  if (!touched) return;
  const repo = payload.repository.full_name;
  const client = await deps.forge.client(repo, context.octokit as Octokit);
  await report(client, await readRepoConfig(client, payload.after), deps, {});
  const plans = (await client.openPulls(defaultBranch)).filter((pull) => pull.head.ref.startsWith(BRANCH_PREFIX) || pull.labels.some((label) => label.name === PITCREW_LABEL));
  deps.log.info({ repo, pulls: plans.map((pull) => pull.number) }, 'gate configuration changed; re-evaluating open plan PRs');
  for (const pull of plans) await gate(context.octokit as Octokit, repo, pull.number, deps);
}

async function report(client: Awaited<ReturnType<GitHubForge['client']>>, read: RepoConfigRead, deps: AppDeps, options: { onlyFailures?: boolean; force?: boolean }): Promise<void> {
  if (read.status === 'invalid') deps.log.warn({ repo: client.fullName, sha: read.ref, problems: read.problems.length, first: read.problems[0] }, `${REPO_CONFIG_PATH} is invalid`);
  if (deps.dryRun) {
    if (read.status === 'invalid') deps.log.info({ repo: client.fullName, sha: read.ref }, `[dry-run] would report the ${CONFIG_CHECK} check as failed`);
    return;
  }
  await reportConfig(client, read, options);
}
