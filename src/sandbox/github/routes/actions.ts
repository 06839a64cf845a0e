import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import type { WorkflowRunRecord } from '../model.js';
import { findWorkflow, syncWorkflows } from '../ops/workflows.js';
import { renderJob, renderRun, renderWorkflow } from '../render/actions.js';
import { intParam, json, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

/** GitHub's `created` filter: `>=DATE`, `<=DATE`, `>DATE`, `<DATE`, `DATE..DATE` or a bare date (that day). */
export function createdMatcher(filter: string | null): (ms: number) => boolean {
  if (!filter) return () => true;
  const range = /^(.+)\.\.(.+)$/.exec(filter);
  if (range) return (ms) => ms >= Date.parse(range[1]!) && ms <= Date.parse(range[2]!);
  const compare = /^(>=|<=|>|<)(.+)$/.exec(filter);
  if (compare) {
    const at = Date.parse(compare[2]!);
    return { '>=': (ms: number) => ms >= at, '<=': (ms: number) => ms <= at, '>': (ms: number) => ms > at, '<': (ms: number) => ms < at }[compare[1] as '>='];
  }
  const day = Date.parse(filter);
  return (ms) => ms >= day && ms < day + 86_400_000;
}

async function runs(ctx: Ctx, list: WorkflowRunRecord[]) {
  const q = (key: string) => ctx.query.get(key);
  const created = createdMatcher(q('created'));
  const selected = list
    .filter((run) => run.repo === ctx.repo.fullName)
    .filter((run) => !q('branch') || run.headBranch === q('branch'))
    .filter((run) => !q('event') || run.event === q('event'))
    .filter((run) => !q('head_sha') || run.headSha === q('head_sha'))
    .filter((run) => !q('actor') || run.actor === q('actor'))
    .filter((run) => !q('status') || run.status === q('status') || run.conclusion === q('status'))
    .filter((run) => created(run.createdAt))
    .sort((a, b) => b.id - a.id);
  const rendered = await Promise.all(selected.map(async (run) => renderRun(ctx.core, ctx.repo, run, await ctx.repo.git.readCommit(run.headSha))));
  return paginate(ctx, rendered, (page) => ({ total_count: selected.length, workflow_runs: page }));
}

function jobList(ctx: Ctx, run: WorkflowRunRecord, attempt?: number) {
  const jobs = attempt !== undefined ? run.jobs.filter((job) => job.runAttempt === attempt) : ctx.query.get('filter') === 'all' ? run.jobs : ctx.actions.latestJobs(run);
  return paginate(ctx, jobs.map((job) => renderJob(ctx.core, ctx.repo, job)), (page) => ({ total_count: jobs.length, jobs: page }));
}

function jobOf(ctx: Ctx) {
  const job = ctx.core.jobs.get(intParam(ctx, 'job_id'));
  if (!job || job.repo !== ctx.repo.fullName) throw ApiError.notFound();
  return job;
}

export const actionRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/workflows',
    scope: ['actions', 'read'],
    handler: async (ctx) => {
      const workflows = await syncWorkflows(ctx.core, ctx.repo);
      return paginate(ctx, workflows.map((workflow) => renderWorkflow(ctx.core, ctx.repo, workflow)), (page) => ({ total_count: workflows.length, workflows: page }));
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/actions/workflows/:workflow_id', scope: ['actions', 'read'], handler: async (ctx) => json(200, renderWorkflow(ctx.core, ctx.repo, await findWorkflow(ctx.core, ctx.repo, ctx.params.workflow_id!))) },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/actions/workflows/:workflow_id/dispatches',
    scope: ['actions', 'write'],
    handler: async (ctx) => {
      const ref = requireBodyString(ctx, 'ref', 'WorkflowDispatch');
      const inputs = ctx.body.inputs && typeof ctx.body.inputs === 'object' ? (ctx.body.inputs as Record<string, unknown>) : {};
      const { run } = await ctx.actions.dispatch(ctx.repo, ctx.params.workflow_id!, actorLogin(ctx.actor!), { ref, inputs });
      // Newer API versions can return the run when asked; the default answer is 204.
      if (ctx.body.return_run_details === true) {
        return json(200, { workflow_run_id: run.id, run_url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/actions/runs/${run.id}`, html_url: `${ctx.core.webUrl}/${ctx.repo.fullName}/actions/runs/${run.id}` });
      }
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/workflows/:workflow_id/runs',
    scope: ['actions', 'read'],
    handler: async (ctx) => {
      const workflow = await findWorkflow(ctx.core, ctx.repo, ctx.params.workflow_id!);
      return runs(ctx, [...ctx.core.runs.values()].filter((run) => run.workflowId === workflow.id));
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/actions/runs', scope: ['actions', 'read'], handler: (ctx) => runs(ctx, [...ctx.core.runs.values()]) },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/runs/:run_id',
    scope: ['actions', 'read'],
    handler: async (ctx) => {
      const run = ctx.actions.findRun(ctx.repo, intParam(ctx, 'run_id'));
      return json(200, renderRun(ctx.core, ctx.repo, run, await ctx.repo.git.readCommit(run.headSha)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt',
    scope: ['actions', 'read'],
    handler: async (ctx) => {
      const run = ctx.actions.findRun(ctx.repo, intParam(ctx, 'run_id'));
      const attempt = intParam(ctx, 'attempt');
      if (attempt > run.runAttempt) throw ApiError.notFound();
      const jobs = run.jobs.filter((job) => job.runAttempt === attempt);
      const done = attempt < run.runAttempt || run.status === 'completed';
      const failed = jobs.some((job) => job.conclusion && job.conclusion !== 'success' && job.conclusion !== 'skipped');
      const rendered = renderRun(ctx.core, ctx.repo, { ...run, runAttempt: attempt, status: done ? 'completed' : run.status, conclusion: done ? (failed ? 'failure' : 'success') : null }, await ctx.repo.git.readCommit(run.headSha));
      return json(200, rendered);
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/actions/runs/:run_id/jobs', scope: ['actions', 'read'], handler: (ctx) => jobList(ctx, ctx.actions.findRun(ctx.repo, intParam(ctx, 'run_id'))) },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt/jobs',
    scope: ['actions', 'read'],
    handler: (ctx) => jobList(ctx, ctx.actions.findRun(ctx.repo, intParam(ctx, 'run_id')), intParam(ctx, 'attempt')),
  },
  { method: 'GET', path: '/repos/:owner/:repo/actions/jobs/:job_id', scope: ['actions', 'read'], handler: (ctx) => json(200, renderJob(ctx.core, ctx.repo, jobOf(ctx))) },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/actions/jobs/:job_id/logs',
    scope: ['actions', 'read'],
    handler: (ctx) => {
      const job = jobOf(ctx);
      if (job.status !== 'completed') throw ApiError.notFound();
      return { status: 302, headers: { location: ctx.logLinks.issue(ctx.req.origin, job) } };
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/actions/runs/:run_id/rerun-failed-jobs',
    scope: ['actions', 'write'],
    handler: async (ctx) => {
      await ctx.actions.rerun(ctx.repo, intParam(ctx, 'run_id'), actorLogin(ctx.actor!), 'failed');
      return json(201, {});
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/actions/runs/:run_id/rerun',
    scope: ['actions', 'write'],
    handler: async (ctx) => {
      await ctx.actions.rerun(ctx.repo, intParam(ctx, 'run_id'), actorLogin(ctx.actor!), 'all');
      return json(201, {});
    },
  },
];
