import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import type { CheckRunRecord } from '../model.js';
import { combinedStatus, createCheckRun, createStatus, findCheckRun, updateCheckRun, type CheckRunInput } from '../ops/checks.js';
import { renderRepo } from '../render/repos.js';
import { renderAnnotation, renderCheckRun, renderStatus } from '../render/checks.js';
import { raiseCheckRun } from '../webhooks/events.js';
import { json, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

async function shaOf(ctx: Ctx, ref: string): Promise<string> {
  const sha = (await ctx.repo.git.readRef(`refs/heads/${ref}`)) ?? (await ctx.repo.git.readRef(`refs/tags/${ref}`)) ?? (await ctx.repo.git.resolveCommit(ref));
  if (!sha) throw ApiError.unprocessable(`No commit found for SHA: ${ref}`);
  return sha;
}

function appOf(ctx: Ctx) {
  if (ctx.actor?.kind !== 'installation') throw new ApiError(403, 'You must authenticate via a GitHub App.');
  return ctx.actor.app;
}

function checkInput(ctx: Ctx): CheckRunInput {
  const body = ctx.body;
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const input: CheckRunInput = {};
  if (str('name') !== undefined) input.name = str('name')!;
  if (str('head_sha') !== undefined) input.headSha = str('head_sha')!;
  if (str('status') !== undefined) input.status = str('status')!;
  if (str('conclusion') !== undefined) input.conclusion = str('conclusion')!;
  if ('details_url' in body) input.detailsUrl = str('details_url') ?? null;
  if ('external_id' in body) input.externalId = str('external_id') ?? null;
  if (str('started_at') !== undefined) input.startedAt = str('started_at')!;
  if (str('completed_at') !== undefined) input.completedAt = str('completed_at')!;
  if (body.output && typeof body.output === 'object') input.output = body.output as CheckRunInput['output'];
  return input;
}

function listRuns(ctx: Ctx, runs: CheckRunRecord[]) {
  const name = ctx.query.get('check_name');
  const status = ctx.query.get('status');
  const appId = ctx.query.get('app_id');
  let selected = runs.filter((run) => (!name || run.name === name) && (!status || run.status === status) && (!appId || String(run.appId) === appId));
  if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
    const latest = new Map<string, CheckRunRecord>();
    for (const run of selected) latest.set(`${run.appId}:${run.name}`, run);
    selected = [...latest.values()];
  }
  selected.sort((a, b) => b.id - a.id);
  return paginate(ctx, selected.map((run) => renderCheckRun(ctx.core, ctx.repo, run)), (page) => ({ total_count: selected.length, check_runs: page }));
}

export const checkRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/statuses/:sha',
    scope: ['statuses', 'write'],
    handler: async (ctx) => {
      const status = await createStatus(ctx.core, ctx.repo, ctx.params.sha!, actorLogin(ctx.actor!), {
        state: requireBodyString(ctx, 'state', 'Status'),
        ...(typeof ctx.body.context === 'string' ? { context: ctx.body.context } : {}),
        description: typeof ctx.body.description === 'string' ? ctx.body.description : null,
        targetUrl: typeof ctx.body.target_url === 'string' ? ctx.body.target_url : null,
      });
      return json(201, renderStatus(ctx.core, ctx.repo, status));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref/statuses',
    scope: ['statuses', 'read'],
    handler: async (ctx) => {
      const sha = await shaOf(ctx, ctx.params.ref!);
      const statuses = ctx.core.statuses.filter((status) => status.repo === ctx.repo.fullName && status.sha === sha).sort((a, b) => b.id - a.id);
      return paginate(ctx, statuses.map((status) => renderStatus(ctx.core, ctx.repo, status)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref/status',
    scope: ['statuses', 'read'],
    handler: async (ctx) => {
      const sha = await shaOf(ctx, ctx.params.ref!);
      const combined = combinedStatus(ctx.core, ctx.repo, sha);
      const { license: _license, ...repository } = renderRepo(ctx.core, ctx.repo);
      return json(200, {
        state: combined.state,
        statuses: combined.statuses.map((status) => ({ ...renderStatus(ctx.core, ctx.repo, status), avatar_url: null })),
        sha,
        total_count: combined.statuses.length,
        repository: { ...repository, license: null },
        commit_url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/commits/${sha}`,
        url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/commits/${sha}/status`,
      });
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/check-runs',
    scope: ['checks', 'write'],
    handler: async (ctx) => {
      const run = await createCheckRun(ctx.core, ctx.repo, appOf(ctx), actorLogin(ctx.actor!), checkInput(ctx));
      return json(201, renderCheckRun(ctx.core, ctx.repo, run));
    },
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/check-runs/:id',
    scope: ['checks', 'write'],
    handler: (ctx) => {
      const run = findCheckRun(ctx.core, ctx.repo, Number(ctx.params.id));
      updateCheckRun(ctx.core, ctx.repo, run, appOf(ctx), actorLogin(ctx.actor!), checkInput(ctx));
      return json(200, renderCheckRun(ctx.core, ctx.repo, run));
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/check-runs/:id', scope: ['checks', 'read'], handler: (ctx) => json(200, renderCheckRun(ctx.core, ctx.repo, findCheckRun(ctx.core, ctx.repo, Number(ctx.params.id)))) },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/check-runs/:id/annotations',
    scope: ['checks', 'read'],
    handler: (ctx) => {
      const run = findCheckRun(ctx.core, ctx.repo, Number(ctx.params.id));
      return paginate(ctx, run.annotations.map((annotation) => renderAnnotation(ctx.core, ctx.repo, run, annotation)));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/check-runs/:id/rerequest',
    scope: ['checks', 'write'],
    handler: (ctx) => {
      const run = findCheckRun(ctx.core, ctx.repo, Number(ctx.params.id));
      raiseCheckRun(ctx.core, ctx.repo, run, 'rerequested', actorLogin(ctx.actor!));
      return json(201, {});
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref/check-runs',
    scope: ['checks', 'read'],
    handler: async (ctx) => {
      const sha = await shaOf(ctx, ctx.params.ref!);
      return listRuns(ctx, [...ctx.core.checkRuns.values()].filter((run) => run.repo === ctx.repo.fullName && run.headSha === sha));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/check-suites/:id/check-runs',
    scope: ['checks', 'read'],
    handler: (ctx) => listRuns(ctx, [...ctx.core.checkRuns.values()].filter((run) => run.repo === ctx.repo.fullName && String(run.checkSuiteId) === ctx.params.id)),
  },
];
