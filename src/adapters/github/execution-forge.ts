import { isPlanPath, readPlanFile } from '../../gitops/plan-file.js';
import type { Logger } from '../../ops/logger.js';
import type { RepoConfigRead } from '../../pipeline/gate/facts.js';
import type { ExecutionForge, ExecutionReport, MergedPlanRead, MergedPull } from '../../pipeline/execute/ports.js';
import { BRANCH_PREFIX } from '../../pipeline/propose/branch.js';
import type { GitHubForge } from './forge.js';

/**
 * The execution's side of the forge on GitHub: the plan read from the merge
 * commit, the default branch's config, and the report (a `pitcrew/execute`
 * check run on the merge commit and one PR comment), both updated in place
 * when the report is made again after a restart.
 */
export const EXECUTE_CHECK = 'pitcrew/execute';
const clipMarkdown = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const marker = (executionId: string) => `<!-- pitcrew:execution ${executionId} -->`;

export function githubExecutionForge(forge: GitHubForge, deps: { log: Logger; dryRun: boolean }): ExecutionForge {
  return {
    readMergedPlan: async (pull: MergedPull): Promise<MergedPlanRead> => {
      const client = await forge.client(pull.repo);
      // The event is only a hint: the live PR must confirm the merge, its commit and its head.
      const live = await client.pull(pull.number);
      if (!live.merged || live.merge_commit_sha !== pull.mergeSha || live.head.sha !== pull.headSha) {
        return { status: 'not_merged', problem: `GitHub says PR #${pull.number} is ${live.merged ? `merged as ${live.merge_commit_sha?.slice(0, 7)} from ${live.head.sha.slice(0, 7)}` : live.state}, not merged as ${pull.mergeSha.slice(0, 7)} from ${pull.headSha.slice(0, 7)}` };
      }
      const files = await client.pullFiles(pull.number);
      const paths = files.filter((file) => isPlanPath(file.filename) && file.status !== 'removed').map((file) => file.filename);
      if (paths.length === 0) {
        const head = live.head.ref;
        return head.startsWith(BRANCH_PREFIX) ? { status: 'invalid', path: null, problem: `${head} is a pitcrew fix branch but the PR carries no plan file` } : { status: 'none' };
      }
      if (paths.length > 1) return { status: 'invalid', path: null, problem: `the PR carries ${paths.length} plan files (${paths.join(', ')}); it may carry exactly one` };
      const path = paths[0]!;
      const text = await client.readText(path, pull.mergeSha);
      if (text === null) return { status: 'invalid', path, problem: `${path} is not in the merge commit ${pull.mergeSha.slice(0, 7)}` };
      const read = readPlanFile(path, text);
      return read.ok ? { status: 'ok', path, plan: read.plan, hash: read.hash } : { status: 'invalid', path, problem: read.problem };
    },

    readDefaultConfig: (repo: string): Promise<RepoConfigRead> => forge.readRepoConfig(repo),

    publishReport: async (pull: MergedPull, report: ExecutionReport) => {
      const outcome = report.record.outcome;
      const conclusion = outcome === 'succeeded' ? 'success' : outcome === 'dry_run' ? 'neutral' : 'failure';
      const text = report.lines.map((line) => `- ${line}`).join('\n');
      if (deps.dryRun) {
        deps.log.info({ repo: pull.repo, pull: pull.number, sha: pull.mergeSha, conclusion }, `[dry-run] would report ${EXECUTE_CHECK} ${conclusion} and comment on #${pull.number}: ${report.title}`);
        return { checkRunUrl: null };
      }
      const client = await forge.client(pull.repo);
      const output = { title: report.title, summary: clipMarkdown(report.summary, 60_000), text: clipMarkdown(text, 60_000) };
      const existing = (await client.checkRuns(pull.mergeSha, EXECUTE_CHECK)).find((run) => run.external_id === report.executionId);
      let checkRunUrl: string | null;
      if (existing) {
        const { data } = await client.octokit.rest.checks.update({ owner: client.owner, repo: client.name, check_run_id: existing.id, status: 'completed', conclusion, output });
        checkRunUrl = data.html_url ?? null;
      } else {
        const { data } = await client.octokit.rest.checks.create({ owner: client.owner, repo: client.name, name: EXECUTE_CHECK, head_sha: pull.mergeSha, external_id: report.executionId, status: 'completed', conclusion, output });
        checkRunUrl = data.html_url ?? null;
      }
      const body = [
        marker(report.executionId),
        `### pitcrew: ${report.title}`,
        '',
        report.summary,
        '',
        text,
        '',
        checkRunUrl ? `Details: [${EXECUTE_CHECK}](${checkRunUrl}) on ${pull.mergeSha.slice(0, 7)}.` : `Merge commit: ${pull.mergeSha.slice(0, 7)}.`,
      ].join('\n');
      const comments = await client.octokit.paginate(client.octokit.rest.issues.listComments, { owner: client.owner, repo: client.name, issue_number: pull.number, per_page: 100 });
      const mine = comments.find((comment) => comment.body?.startsWith(marker(report.executionId)));
      const clipped = clipMarkdown(body, 60_000);
      if (mine) await client.octokit.rest.issues.updateComment({ owner: client.owner, repo: client.name, comment_id: mine.id, body: clipped });
      else await client.octokit.rest.issues.createComment({ owner: client.owner, repo: client.name, issue_number: pull.number, body: clipped });
      return { checkRunUrl };
    },
  };
}
