import type { GitHubCore } from '../core.js';
import type { AnnotationRecord, CheckRunRecord, RepoRecord, StatusRecord } from '../model.js';
import { iso, isoOrNull, nodeId, type Schema } from './common.js';
import { renderLogin, renderApp } from './users.js';

/** Open PRs in the same repository whose head is `sha`: what GitHub lists in `pull_requests` of checks and runs. */
export function pullsForSha(core: GitHubCore, repo: RepoRecord, sha: string, branch?: string | null): Schema<'pull-request-minimal'>[] {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  const side = (ref: string, headSha: string) => ({ ref, sha: headSha, repo: { id: repo.id, url: api, name: repo.name } });
  return [...repo.issues.values()]
    .filter((issue) => issue.pull && issue.state === 'open' && (issue.pull.headSha === sha || (branch && issue.pull.headRef === branch)))
    .map((issue) => ({
      id: issue.pull!.id,
      number: issue.number,
      url: `${api}/pulls/${issue.number}`,
      head: side(issue.pull!.headRef, issue.pull!.headSha),
      base: side(issue.pull!.baseRef, ''),
    }));
}

export function renderCheckRun(core: GitHubCore, repo: RepoRecord, run: CheckRunRecord): Schema<'check-run'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  const app = core.apps.get(run.appId)!;
  const suite = core.checkSuites.get(run.checkSuiteId)!;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId ?? '',
    url: `${api}/check-runs/${run.id}`,
    html_url: `${core.webUrl}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${core.webUrl}/${repo.fullName}/runs/${run.id}`,
    status: run.status,
    // GitHub also sets `stale` and `startup_failure`, which the published schema omits.
    conclusion: run.conclusion as Schema<'check-run'>['conclusion'],
    started_at: iso(run.startedAt),
    completed_at: isoOrNull(run.completedAt),
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: renderApp(core, app),
    pull_requests: pullsForSha(core, repo, run.headSha, suite.headBranch),
  };
}

/** The `check_suite` object GitHub nests in `check_run` webhooks. */
export function renderCheckSuiteForWebhook(core: GitHubCore, repo: RepoRecord, run: CheckRunRecord): Record<string, unknown> {
  const suite = core.checkSuites.get(run.checkSuiteId)!;
  const runs = [...core.checkRuns.values()].filter((other) => other.checkSuiteId === suite.id);
  const done = runs.every((other) => other.status === 'completed');
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  return {
    id: suite.id,
    node_id: nodeId('CheckSuite', suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: done ? 'completed' : 'in_progress',
    conclusion: done ? (runs.some((other) => other.conclusion === 'failure') ? 'failure' : 'success') : null,
    url: `${api}/check-suites/${suite.id}`,
    before: null,
    after: suite.headSha,
    pull_requests: pullsForSha(core, repo, suite.headSha, suite.headBranch),
    app: renderApp(core, core.apps.get(suite.appId)!),
    created_at: iso(suite.createdAt),
    updated_at: iso(core.now()),
  };
}

export function renderAnnotation(core: GitHubCore, repo: RepoRecord, run: CheckRunRecord, annotation: AnnotationRecord): Schema<'check-annotation'> {
  return {
    path: annotation.path,
    start_line: annotation.startLine,
    end_line: annotation.endLine,
    start_column: annotation.startColumn,
    end_column: annotation.endColumn,
    annotation_level: annotation.annotationLevel,
    title: annotation.title,
    message: annotation.message,
    raw_details: annotation.rawDetails,
    blob_href: `${core.webUrl}/${repo.fullName}/blob/${run.headSha}/${annotation.path}`,
  };
}

export function renderStatus(core: GitHubCore, repo: RepoRecord, status: StatusRecord): Schema<'status'> {
  return {
    url: `${core.apiUrl}/repos/${repo.fullName}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: iso(status.createdAt),
    updated_at: iso(status.updatedAt),
    creator: renderLogin(core, status.creator),
  };
}
