import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import { ZERO_SHA, type Person, type TreeEdit } from '../git/git-repo.js';
import { gitIdentity } from '../ops/accounts.js';
import { refMoved } from '../ops/ref-events.js';
import { renderContentEntry, renderContentFile } from '../render/contents.js';
import { renderGitCommit } from '../render/git-data.js';
import { json, requireBodyString, type Ctx, type RouteDef } from './route.js';

const MAX_API_FILE = 100 * 1024 * 1024;

function cleanPath(ctx: Ctx): string {
  return (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
}

async function resolveRef(ctx: Ctx, ref: string | null): Promise<{ ref: string; sha: string }> {
  const name = ref ?? ctx.repo.defaultBranch;
  const sha = (await ctx.repo.git.readRef(`refs/heads/${name}`)) ?? (await ctx.repo.git.readRef(`refs/tags/${name}`)) ?? (await ctx.repo.git.resolveCommit(name));
  if (!sha) {
    if (!ref && (await ctx.repo.git.listRefs('refs/heads/')).length === 0) throw new ApiError(404, 'This repository is empty.');
    throw new ApiError(404, `No commit found for the ref ${name}`);
  }
  return { ref: name, sha };
}

async function getContents(ctx: Ctx) {
  const path = cleanPath(ctx);
  const { ref, sha } = await resolveRef(ctx, ctx.query.get('ref'));
  const entry = await ctx.repo.git.entryAt(sha, path);
  if (!entry) throw ApiError.notFound();
  const raw = /application\/vnd\.github(\.v3)?\.raw/.test(ctx.req.headers.accept ?? '');
  if (entry.type === 'tree') {
    const children = await ctx.repo.git.readTree(entry.sha);
    const listing = children.map((child) => renderContentEntry(ctx.core, ctx.repo, { ...child, path: path ? `${path}/${child.path}` : child.path }, ref));
    // A directory is always JSON, even when raw was asked for (the config loader relies on this).
    return json(200, listing);
  }
  const content = await ctx.repo.git.readBlob(entry.sha);
  if (raw) return { status: 200, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: content };
  return json(200, renderContentFile(ctx.core, ctx.repo, { ...entry, size: content.length }, ref, content));
}

function person(ctx: Ctx, field: 'author' | 'committer'): Person | null {
  const given = ctx.body[field] as { name?: unknown; email?: unknown; date?: unknown } | undefined;
  if (!given) return null;
  if (typeof given.name !== 'string' || typeof given.email !== 'string') throw ApiError.unprocessable(`Invalid request.\n\n"name" and "email" are required in ${field}.`);
  return { name: given.name, email: given.email, date: typeof given.date === 'string' ? Date.parse(given.date) : ctx.core.now() };
}

/** Writes or deletes one file on a branch in a new commit, with GitHub's sha checks. */
async function writeFile(ctx: Ctx, mode: 'put' | 'delete') {
  const path = cleanPath(ctx);
  if (!path) throw ApiError.notFound();
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..' || part === '.git')) {
    throw ApiError.unprocessable('path contains a malformed path component');
  }
  const message = requireBodyString(ctx, 'message', 'Contents');
  const expectedSha = typeof ctx.body.sha === 'string' ? ctx.body.sha : undefined;
  let content: Buffer | null = null;
  if (mode === 'put') {
    if (typeof ctx.body.content !== 'string') throw ApiError.unprocessable('Invalid request.\n\n"content" wasn\'t supplied.');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(ctx.body.content)) throw ApiError.unprocessable('content is not valid Base64');
    content = Buffer.from(ctx.body.content, 'base64');
    if (content.length > MAX_API_FILE) throw ApiError.unprocessable('File is too large');
  }
  const login = actorLogin(ctx.actor!);
  const branch = typeof ctx.body.branch === 'string' ? ctx.body.branch.replace(/^refs\/heads\//, '') : ctx.repo.defaultBranch;
  return ctx.repo.mutex.run(async () => {
    const ref = `refs/heads/${branch}`;
    const parent = await ctx.repo.git.readRef(ref);
    const empty = (await ctx.repo.git.listRefs('refs/heads/')).length === 0;
    if (!parent && !(empty && mode === 'put')) throw new ApiError(404, `Branch ${branch} not found`);
    const rules = ctx.repo.protections.get(branch);
    if (rules && !(!rules.enforceAdmins && ctx.core.permissionOf(ctx.repo, login) === 'admin')) {
      throw new ApiError(409, 'Changes must be made through a pull request.');
    }
    const existing = parent ? await ctx.repo.git.entryAt(parent, path) : null;
    if (existing?.type === 'tree') throw ApiError.unprocessable(`Invalid request.\n\n${path} is a directory`);
    if (mode === 'delete' && !existing) throw ApiError.notFound();
    if (existing && expectedSha === undefined) throw ApiError.unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && expectedSha !== existing.sha) throw new ApiError(409, `${path} does not match ${expectedSha}`);
    const edit: TreeEdit = content ? { path, mode: '100644', type: 'blob', sha: await ctx.repo.git.writeBlob(content) } : { path, mode: '100644', type: 'blob', sha: null };
    const baseTree = parent ? (await ctx.repo.git.readCommit(parent))!.tree : null;
    const tree = await ctx.repo.git.writeTree(baseTree, [edit]);
    const me = { ...gitIdentity(ctx.core, login), date: ctx.core.now() };
    const author = person(ctx, 'author') ?? person(ctx, 'committer') ?? me;
    const committer = person(ctx, 'committer') ?? author;
    const sha = await ctx.repo.git.createCommit({ tree, parents: parent ? [parent] : [], message, author, committer });
    if (!(await ctx.repo.git.updateRef(ref, sha, parent ?? ZERO_SHA))) throw new ApiError(409, `${branch} was modified; try again`);
    await refMoved(ctx.core, ctx.repo, { ref, before: parent ?? ZERO_SHA, after: sha, pusher: login, forced: false });
    const commit = renderGitCommit(ctx.core, ctx.repo, (await ctx.repo.git.readCommit(sha))!);
    if (!content) return json(200, { content: null, commit });
    const entry = (await ctx.repo.git.entryAt(sha, path))!;
    const { content: _content, encoding: _encoding, ...file } = renderContentFile(ctx.core, ctx.repo, { ...entry, size: content.length }, branch, content);
    return json(existing ? 200 : 201, { content: file, commit });
  });
}

export const contentRoutes: RouteDef[] = [
  { method: 'GET', path: '/repos/:owner/:repo/contents', scope: ['contents', 'read'], handler: getContents },
  { method: 'GET', path: '/repos/:owner/:repo/contents/*path', scope: ['contents', 'read'], handler: getContents },
  { method: 'PUT', path: '/repos/:owner/:repo/contents/*path', scope: ['contents', 'write'], handler: (ctx) => writeFile(ctx, 'put') },
  { method: 'DELETE', path: '/repos/:owner/:repo/contents/*path', scope: ['contents', 'write'], handler: (ctx) => writeFile(ctx, 'delete') },
];
