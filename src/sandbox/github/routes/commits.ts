import { ApiError } from '../errors.js';
import { EMPTY_TREE_SHA } from '../git/git-repo.js';
import type { Schema } from '../render/common.js';
import { renderCommit, renderDiffEntry } from '../render/git-data.js';
import { json, paginate, type Ctx, type RouteDef } from './route.js';

async function commitish(ctx: Ctx, name: string): Promise<string> {
  const sha = (await ctx.repo.git.readRef(`refs/heads/${name}`)) ?? (await ctx.repo.git.readRef(`refs/tags/${name}`)) ?? (await ctx.repo.git.resolveCommit(name));
  if (!sha) throw ApiError.unprocessable(`No commit found for SHA: ${name}`);
  return sha;
}

export const commitRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const start = ctx.query.get('sha') ?? ctx.repo.defaultBranch;
      const head = (await ctx.repo.git.readRef(`refs/heads/${start}`)) ?? (await ctx.repo.git.resolveCommit(start));
      if (!head) {
        if ((await ctx.repo.git.listRefs('refs/heads/')).length === 0) throw new ApiError(409, 'Git Repository is empty.');
        throw ApiError.notFound();
      }
      const args = [head];
      const since = ctx.query.get('since');
      const until = ctx.query.get('until');
      if (since) args.push(`--since=${since}`);
      if (until) args.push(`--until=${until}`);
      const author = ctx.query.get('author');
      if (author) args.push(`--author=${author}`);
      const path = ctx.query.get('path');
      if (path) args.push('--', path);
      const commits = await ctx.repo.git.log(args);
      return paginate(ctx, commits.map((commit) => renderCommit(ctx.core, ctx.repo, commit)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/commits/:ref',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const sha = await commitish(ctx, ctx.params.ref!);
      const commit = (await ctx.repo.git.readCommit(sha))!;
      const files = await ctx.repo.git.diff(commit.parents[0] ?? EMPTY_TREE_SHA, sha);
      return json(200, renderCommit(ctx.core, ctx.repo, commit, files));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/compare/*basehead',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const [baseName, headName] = ctx.params.basehead!.split(/\.\.\.?/);
      if (!baseName || !headName) throw ApiError.notFound();
      const base = await commitish(ctx, baseName).catch(() => {
        throw ApiError.notFound();
      });
      const head = await commitish(ctx, headName).catch(() => {
        throw ApiError.notFound();
      });
      const mergeBase = await ctx.repo.git.mergeBase(base, head);
      if (!mergeBase) throw ApiError.notFound();
      const aheadBy = await ctx.repo.git.countCommits(`${base}..${head}`);
      const behindBy = await ctx.repo.git.countCommits(`${head}..${base}`);
      const status: Schema<'commit-comparison'>['status'] = aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
      const commits = await ctx.repo.git.commitsBetween(base, head);
      const files = await ctx.repo.git.diff(mergeBase, head);
      const html = `${ctx.core.webUrl}/${ctx.repo.fullName}/compare/${baseName}...${headName}`;
      const body: Schema<'commit-comparison'> = {
        url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/compare/${baseName}...${headName}`,
        html_url: html,
        permalink_url: `${ctx.core.webUrl}/${ctx.repo.fullName}/compare/${base.slice(0, 7)}...${head.slice(0, 7)}`,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        base_commit: renderCommit(ctx.core, ctx.repo, (await ctx.repo.git.readCommit(base))!),
        merge_base_commit: renderCommit(ctx.core, ctx.repo, (await ctx.repo.git.readCommit(mergeBase))!),
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        commits: commits.map((commit) => renderCommit(ctx.core, ctx.repo, commit)),
        files: files.map((file) => renderDiffEntry(ctx.core, ctx.repo, head, file)),
      };
      return json(200, body);
    },
  },
];
