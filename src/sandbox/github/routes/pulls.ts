import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import { EMPTY_TREE_SHA } from '../git/git-repo.js';
import { mergePull, type MergeMethod } from '../ops/merge.js';
import { baseShaOf, createPull, pullFacts, updatePull } from '../ops/pulls.js';
import { renderCommit, renderDiffEntry } from '../render/git-data.js';
import { renderPull, renderPullSimple, type PullIssue } from '../render/pulls.js';
import { bodyString, intParam, json, noContent, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

function pullOf(ctx: Ctx): PullIssue {
  return ctx.core.pull(ctx.repo, intParam(ctx, 'number'));
}

async function full(ctx: Ctx, issue: PullIssue, status = 200) {
  return json(status, renderPull(ctx.core, ctx.repo, issue, await pullFacts(ctx.core, ctx.repo, issue, { mergeable: status === 200 })));
}

export const pullRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls',
    scope: ['pull_requests', 'read'],
    handler: async (ctx) => {
      const state = ctx.query.get('state') ?? 'open';
      const head = ctx.query.get('head');
      const base = ctx.query.get('base');
      let pulls = [...ctx.repo.issues.values()].filter((issue): issue is PullIssue => issue.pull !== undefined);
      if (state !== 'all') pulls = pulls.filter((issue) => issue.state === state);
      if (head) {
        const [owner, ref] = head.includes(':') ? head.split(/:(.*)/s) : [head, undefined];
        pulls = pulls.filter((issue) => owner!.toLowerCase() === ctx.repo.owner.toLowerCase() && (ref === undefined || issue.pull.headRef === ref));
      }
      if (base) pulls = pulls.filter((issue) => issue.pull.baseRef === base);
      const sort = ctx.query.get('sort') ?? 'created';
      const key = (issue: PullIssue) => (sort === 'updated' ? issue.updatedAt : issue.createdAt) * 1e6 + issue.number;
      const direction = ctx.query.get('direction') ?? 'desc';
      pulls.sort((a, b) => (direction === 'asc' ? key(a) - key(b) : key(b) - key(a)));
      const rendered = await Promise.all(pulls.map(async (issue) => renderPullSimple(ctx.core, ctx.repo, issue, await baseShaOf(ctx.repo, issue))));
      return paginate(ctx, rendered);
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/pulls',
    scope: ['pull_requests', 'write'],
    handler: async (ctx) => {
      const title = requireBodyString(ctx, 'title', 'PullRequest');
      const head = requireBodyString(ctx, 'head', 'PullRequest');
      const base = requireBodyString(ctx, 'base', 'PullRequest');
      const issue = await createPull(ctx.core, ctx.repo, actorLogin(ctx.actor!), {
        title,
        head,
        base,
        body: bodyString(ctx, 'body') ?? null,
        draft: ctx.body.draft === true,
        maintainerCanModify: ctx.body.maintainer_can_modify !== false,
      });
      return full(ctx, issue, 201);
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/pulls/:number', scope: ['pull_requests', 'read'], handler: (ctx) => full(ctx, pullOf(ctx)) },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/pulls/:number',
    scope: ['pull_requests', 'write'],
    handler: async (ctx) => {
      const issue = pullOf(ctx);
      const state = bodyString(ctx, 'state');
      if (state !== undefined && state !== 'open' && state !== 'closed') throw ApiError.validation({ resource: 'PullRequest', field: 'state', code: 'invalid' });
      await updatePull(ctx.core, ctx.repo, issue, actorLogin(ctx.actor!), {
        ...(ctx.body.title !== undefined ? { title: requireBodyString(ctx, 'title', 'PullRequest') } : {}),
        ...('body' in ctx.body ? { body: bodyString(ctx, 'body') ?? null } : {}),
        ...(state ? { state } : {}),
        ...(ctx.body.base !== undefined ? { base: requireBodyString(ctx, 'base', 'PullRequest') } : {}),
        ...(typeof ctx.body.maintainer_can_modify === 'boolean' ? { maintainerCanModify: ctx.body.maintainer_can_modify } : {}),
      });
      return full(ctx, issue);
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/files',
    scope: ['pull_requests', 'read'],
    handler: async (ctx) => {
      const issue = pullOf(ctx);
      const base = await baseShaOf(ctx.repo, issue);
      const mergeBase = (await ctx.repo.git.mergeBase(base, issue.pull.headSha)) ?? EMPTY_TREE_SHA;
      const files = await ctx.repo.git.diff(mergeBase, issue.pull.headSha);
      return paginate(ctx, files.map((file) => renderDiffEntry(ctx.core, ctx.repo, issue.pull.headSha, file)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/commits',
    scope: ['pull_requests', 'read'],
    handler: async (ctx) => {
      const issue = pullOf(ctx);
      const commits = await ctx.repo.git.commitsBetween(await baseShaOf(ctx.repo, issue), issue.pull.headSha);
      return paginate(ctx, commits.map((commit) => renderCommit(ctx.core, ctx.repo, commit)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/merge',
    scope: ['pull_requests', 'read'],
    handler: (ctx) => {
      if (!pullOf(ctx).pull.merged) throw ApiError.notFound();
      return noContent();
    },
  },
  {
    method: 'PUT',
    path: '/repos/:owner/:repo/pulls/:number/merge',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const issue = pullOf(ctx);
      const method = (bodyString(ctx, 'merge_method') ?? 'merge') as MergeMethod;
      if (!['merge', 'squash', 'rebase'].includes(method)) throw ApiError.validation({ resource: 'PullRequest', field: 'merge_method', code: 'invalid' });
      const sha = bodyString(ctx, 'sha');
      const commitTitle = bodyString(ctx, 'commit_title');
      const commitMessage = bodyString(ctx, 'commit_message');
      const result = await mergePull(ctx.core, ctx.repo, issue, actorLogin(ctx.actor!), {
        method,
        ...(sha ? { sha } : {}),
        ...(commitTitle !== undefined ? { commitTitle } : {}),
        ...(commitMessage !== undefined ? { commitMessage } : {}),
      });
      return json(200, { sha: result.sha, merged: true, message: 'Pull Request successfully merged' });
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/pulls/:number/requested_reviewers',
    scope: ['pull_requests', 'write'],
    handler: async (ctx) => {
      const issue = pullOf(ctx);
      const reviewers = Array.isArray(ctx.body.reviewers) ? ctx.body.reviewers.map(String) : [];
      const teams = Array.isArray(ctx.body.team_reviewers) ? ctx.body.team_reviewers.map(String) : [];
      for (const login of reviewers) {
        if (ctx.core.permissionOf(ctx.repo, login) === 'none') throw ApiError.unprocessable('Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ' + ctx.repo.fullName + ' repository.');
        if (login.toLowerCase() === issue.user.toLowerCase()) throw ApiError.unprocessable('Review cannot be requested from pull request author.');
        if (!issue.pull.requestedReviewers.includes(ctx.core.user(login).login)) issue.pull.requestedReviewers.push(ctx.core.user(login).login);
      }
      for (const slug of teams) {
        ctx.core.team(ctx.repo.owner, slug);
        if (!issue.pull.requestedTeams.includes(slug)) issue.pull.requestedTeams.push(slug);
      }
      return json(201, renderPullSimple(ctx.core, ctx.repo, issue, await baseShaOf(ctx.repo, issue)));
    },
  },
];
