import { approversFor, RISKS, splitApprovers } from '../../config/repo-config/schema.js';
import { isPlanPath } from '../../gitops/plan-file.js';
import { ownersOf, parseCodeowners } from '../../pipeline/gate/codeowners.js';
import type { Account, ChangedFile, FileStatus, GateFacts, ReviewState, TeamMembers } from '../../pipeline/gate/facts.js';
import { readCodeowners, readRepoConfig } from './repo-config-reader.js';
import type { RepoClient } from './repo-client.js';

/**
 * Reads the live PR for the gate: the PR, its reviews, commits and files,
 * the plan file at the head, and (only when there is a plan) the config and
 * CODEOWNERS from the default branch and the members of the teams they name.
 * For a merged PR the config is read at the merge commit (a plan PR may not
 * change it, so that is the config it was approved under, or a stricter one).
 */
const account = (user: { login: string; type?: string } | null | undefined): Account | null =>
  user ? { login: user.login, type: user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User' } : null;

export async function readGateFacts(client: RepoClient, number: number, botLogin: string): Promise<GateFacts> {
  const pull = await client.pull(number);
  const defaultBranch = pull.base.repo.default_branch ?? (await client.info()).defaultBranch;
  const [reviews, commits, files] = await Promise.all([client.reviews(number), client.pullCommits(number), client.pullFiles(number)]);
  const changed: ChangedFile[] = files.map((file) => ({ path: file.filename, status: file.status as FileStatus, ...(file.previous_filename ? { previousPath: file.previous_filename } : {}) }));
  const planPaths = changed.filter((file) => isPlanPath(file.path) && file.status !== 'removed').map((file) => file.path);
  const planFiles = await Promise.all(planPaths.map(async (path) => ({ path, content: (await client.readText(path, pull.head.sha)) ?? '' })));

  const configRef = pull.merged && pull.merge_commit_sha ? pull.merge_commit_sha : ((await client.branchSha(defaultBranch)) ?? defaultBranch);
  const needsRules = planFiles.length > 0;
  const [config, codeowners] = needsRules
    ? await Promise.all([readRepoConfig(client, configRef), readCodeowners(client, configRef)])
    : [{ status: 'missing' as const, path: '.github/pitcrew.yml', ref: configRef }, null];

  const teamNames = new Set<string>();
  if (config.status === 'ok') {
    for (const risk of RISKS) splitApprovers(approversFor(config.config, risk)).teams.forEach((team) => teamNames.add(team));
    if (config.config.codeowners && codeowners) {
      const rules = parseCodeowners(codeowners.text);
      for (const file of changed) for (const path of [file.path, file.previousPath]) {
        if (path) splitApprovers(ownersOf(path, rules)?.owners ?? []).teams.forEach((team) => teamNames.add(team));
      }
    }
  }
  const teams: Record<string, TeamMembers> = {};
  await Promise.all([...teamNames].map(async (team) => {
    const [org, slug] = team.split('/');
    try {
      teams[team] = { members: await client.teamMembers(org!, slug!) };
    } catch (error) {
      const status = (error as { status?: number }).status;
      teams[team] = { error: status === 403 ? 'the app lacks the organization members permission' : status === 404 ? 'no such team visible to the app' : (error as Error).message };
    }
  }));

  return {
    repo: client.fullName,
    number,
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged: pull.merged ?? false,
    draft: pull.draft ?? false,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseRef: pull.base.ref,
    defaultBranch,
    htmlUrl: pull.base.repo.html_url,
    author: account(pull.user) ?? { login: 'ghost', type: 'User' },
    botLogin,
    reviews: reviews.map((review) => ({
      id: review.id,
      user: account(review.user),
      state: review.state.toUpperCase() as ReviewState,
      commitId: review.commit_id ?? null,
      submittedAt: review.submitted_at ? Date.parse(review.submitted_at) : null,
    })),
    commits: commits.map((commit) => ({ sha: commit.sha, authorLogin: commit.author?.login ?? null, committerLogin: commit.committer?.login ?? null, message: commit.commit.message })),
    files: changed,
    planFiles,
    config,
    codeowners,
    teams,
  };
}
