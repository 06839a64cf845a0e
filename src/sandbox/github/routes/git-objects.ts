import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import type { Person, TreeEdit } from '../git/git-repo.js';
import { gitIdentity } from '../ops/accounts.js';
import { renderBlob, renderGitCommit, renderTree } from '../render/git-data.js';
import { json, requireBodyString, type Ctx, type RouteDef } from './route.js';

const MODES: Record<string, TreeEdit['type']> = { '100644': 'blob', '100755': 'blob', '120000': 'blob', '040000': 'tree', '160000': 'commit' };

async function parseTreeEntries(ctx: Ctx): Promise<TreeEdit[]> {
  const raw = ctx.body.tree;
  if (!Array.isArray(raw)) throw ApiError.unprocessable('Invalid request.\n\n"tree" wasn\'t supplied.');
  const edits: TreeEdit[] = [];
  for (const [index, item] of raw.entries()) {
    const entry = (item ?? {}) as Record<string, unknown>;
    const path = String(entry.path ?? '');
    const mode = String(entry.mode ?? '');
    if (!path || path.startsWith('/') || path.endsWith('/') || path.split('/').some((part) => part === '' || part === '.' || part === '..' || part === '.git')) {
      throw ApiError.unprocessable(`tree.path contains a malformed path component (entry ${index})`);
    }
    const type = MODES[mode];
    if (!type) throw ApiError.unprocessable(`Invalid request.\n\nFor 'properties/mode', "${mode}" is not a member of ["100644", "100755", "040000", "160000", "120000"].`);
    if (entry.type !== undefined && entry.type !== type) throw ApiError.unprocessable(`Invalid request.\n\ntree.type ${String(entry.type)} does not match mode ${mode}`);
    if ('content' in entry && entry.content !== undefined && entry.content !== null) {
      if (type !== 'blob') throw ApiError.unprocessable('Invalid request.\n\ncontent can only be given for blobs');
      edits.push({ path, mode, type, sha: await ctx.repo.git.writeBlob(Buffer.from(String(entry.content), 'utf8')) });
      continue;
    }
    if (entry.sha === null) {
      edits.push({ path, mode, type, sha: null });
      continue;
    }
    const sha = String(entry.sha ?? '');
    // Submodule entries point at commits in other repositories; blobs and trees must exist here.
    if (type !== 'commit' && (await ctx.repo.git.objectType(sha)) !== type) throw ApiError.unprocessable('GitRPC::BadObjectState');
    edits.push({ path, mode, type, sha });
  }
  return edits;
}

function person(ctx: Ctx, field: 'author' | 'committer', fallback: { name: string; email: string }): Person {
  const given = ctx.body[field] as { name?: unknown; email?: unknown; date?: unknown } | undefined;
  if (!given) return { ...fallback, date: ctx.core.now() };
  if (typeof given.name !== 'string' || typeof given.email !== 'string') throw ApiError.unprocessable(`Invalid request.\n\n"name" and "email" are required in ${field}.`);
  const date = typeof given.date === 'string' ? Date.parse(given.date) : ctx.core.now();
  if (Number.isNaN(date)) throw ApiError.unprocessable(`Invalid request.\n\n${field}.date is not a valid ISO 8601 timestamp.`);
  return { name: given.name, email: given.email, date };
}

export const gitObjectRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/blobs',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      if (typeof ctx.body.content !== 'string') throw ApiError.unprocessable('Invalid request.\n\n"content" wasn\'t supplied.');
      const encoding = ctx.body.encoding ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') throw ApiError.unprocessable(`encoding must be one of utf-8 or base64`);
      const sha = await ctx.repo.git.writeBlob(Buffer.from(ctx.body.content, encoding === 'base64' ? 'base64' : 'utf8'));
      return json(201, { url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/git/blobs/${sha}`, sha });
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/blobs/:sha',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const sha = ctx.params.sha!;
      if ((await ctx.repo.git.objectType(sha)) !== 'blob') throw ApiError.notFound();
      const content = await ctx.repo.git.readBlob(sha);
      if (ctx.req.headers.accept?.includes('application/vnd.github.raw')) return { status: 200, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: content };
      return json(200, renderBlob(ctx.core, ctx.repo, sha, content));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/trees',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const baseTree = typeof ctx.body.base_tree === 'string' ? ctx.body.base_tree : null;
      if (baseTree && (await ctx.repo.git.objectType(baseTree)) !== 'tree') throw ApiError.unprocessable('Invalid request.\n\nbase_tree is not a valid tree oid');
      const sha = await ctx.repo.git.writeTree(baseTree, await parseTreeEntries(ctx));
      return json(201, renderTree(ctx.core, ctx.repo, sha, await ctx.repo.git.readTree(sha)));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/trees/*sha',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      let sha = ctx.params.sha!;
      if ((await ctx.repo.git.objectType(sha)) !== 'tree') {
        // GitHub also accepts a commit SHA or a branch/tag name here.
        const commit = (await ctx.repo.git.resolveCommit(sha)) ?? (await ctx.repo.git.readRef(`refs/heads/${sha}`));
        const tree = commit ? (await ctx.repo.git.readCommit(commit))?.tree : undefined;
        if (!tree) throw ApiError.notFound();
        sha = tree;
      }
      const recursive = ['1', 'true'].includes(ctx.query.get('recursive') ?? '');
      return json(200, renderTree(ctx.core, ctx.repo, sha, await ctx.repo.git.readTree(sha, { recursive, withTrees: true })));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/commits',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const message = requireBodyString(ctx, 'message', 'Commit');
      const tree = requireBodyString(ctx, 'tree', 'Commit');
      if ((await ctx.repo.git.objectType(tree)) !== 'tree') throw ApiError.unprocessable('Tree SHA does not exist');
      const parents = Array.isArray(ctx.body.parents) ? ctx.body.parents.map(String) : [];
      for (const parent of parents) if ((await ctx.repo.git.objectType(parent)) !== 'commit') throw ApiError.unprocessable('Parent SHA does not exist or is not a commit object');
      const me = gitIdentity(ctx.core, actorLogin(ctx.actor!));
      const author = person(ctx, 'author', me);
      const committer = ctx.body.committer ? person(ctx, 'committer', me) : author;
      const sha = await ctx.repo.git.createCommit({ tree, parents, message, author, committer });
      return json(201, renderGitCommit(ctx.core, ctx.repo, (await ctx.repo.git.readCommit(sha))!));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/commits/:sha',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const sha = ctx.params.sha!;
      if ((await ctx.repo.git.objectType(sha)) !== 'commit') throw ApiError.notFound();
      return json(200, renderGitCommit(ctx.core, ctx.repo, (await ctx.repo.git.readCommit(sha))!));
    },
  },
];
