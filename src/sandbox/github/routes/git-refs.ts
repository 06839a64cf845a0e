import { ApiError } from '../errors.js';
import { ZERO_SHA } from '../git/git-repo.js';
import { refMoved } from '../ops/ref-events.js';
import { renderRef } from '../render/git-data.js';
import { actorLogin } from '../auth.js';
import { json, noContent, requireBodyString, type Ctx, type RouteDef } from './route.js';

async function render(ctx: Ctx, ref: string, sha: string) {
  const type = (await ctx.repo.git.objectType(sha)) ?? 'commit';
  return renderRef(ctx.core, ctx.repo, ref, sha, type);
}

async function matching(ctx: Ctx, prefix: string) {
  const refs = (await ctx.repo.git.listRefs('refs/')).filter((ref) => ref.ref.startsWith(`refs/${prefix}`));
  return Promise.all(refs.map((ref) => render(ctx, ref.ref, ref.sha)));
}

/** The raw ref after a marker, keeping a trailing slash the router would drop (`matching-refs/heads/`). */
function rawRef(ctx: Ctx, marker: string): string {
  const index = ctx.req.path.indexOf(marker);
  return decodeURIComponent(ctx.req.path.slice(index + marker.length));
}

/** git's check-ref-format rules, which GitHub applies to new refs. */
export function isValidRefName(ref: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git forbids
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\.lock(\/|$)|\/$|\.$/.test(ref)) return false;
  return ref.split('/').every((part) => part !== '' && !part.startsWith('.'));
}

/** Non-admins may not move a protected branch directly, only through merges. */
function checkProtected(ctx: Ctx, ref: string): void {
  if (!ref.startsWith('refs/heads/')) return;
  const rules = ctx.repo.protections.get(ref.slice('refs/heads/'.length));
  if (!rules) return;
  const login = actorLogin(ctx.actor!);
  if (!rules.enforceAdmins && ctx.core.permissionOf(ctx.repo, login) === 'admin') return;
  throw ApiError.unprocessable(`Protected branch update failed for ${ref}.`);
}

export const gitRefRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/ref/*ref',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      const sha = await ctx.repo.git.readRef(ref);
      if (!sha) throw ApiError.notFound();
      return json(200, await render(ctx, ref, sha));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/matching-refs/*ref',
    scope: ['contents', 'read'],
    handler: async (ctx) => json(200, await matching(ctx, rawRef(ctx, '/git/matching-refs/'))),
  },
  {
    // Deprecated form: an exact ref answers with one object, a prefix with an array.
    method: 'GET',
    path: '/repos/:owner/:repo/git/refs/*ref',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      const sha = await ctx.repo.git.readRef(ref);
      if (sha) return json(200, await render(ctx, ref, sha));
      const refs = await matching(ctx, `${rawRef(ctx, '/git/refs/').replace(/\/?$/, '/')}`);
      if (refs.length === 0) throw ApiError.notFound();
      return json(200, refs);
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/git/refs',
    scope: ['contents', 'read'],
    handler: async (ctx) => json(200, await matching(ctx, '')),
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/git/refs',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const ref = requireBodyString(ctx, 'ref', 'Reference');
      const sha = requireBodyString(ctx, 'sha', 'Reference');
      if (!/^refs\/[^/]+\/.+/.test(ref)) throw ApiError.unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
      if (!isValidRefName(ref)) throw ApiError.unprocessable(`${ref} is not a valid ref name.`);
      return ctx.repo.mutex.run(async () => {
        if (!(await ctx.repo.git.objectType(sha))) throw ApiError.unprocessable('Object does not exist');
        if (await ctx.repo.git.readRef(ref)) throw ApiError.unprocessable('Reference already exists');
        checkProtected(ctx, ref);
        if (!(await ctx.repo.git.updateRef(ref, sha, ZERO_SHA))) throw ApiError.unprocessable('Reference already exists');
        await refMoved(ctx.core, ctx.repo, { ref, before: ZERO_SHA, after: sha, pusher: actorLogin(ctx.actor!), forced: false });
        return json(201, await render(ctx, ref, sha));
      });
    },
  },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/git/refs/*ref',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      const sha = requireBodyString(ctx, 'sha', 'Reference');
      const force = ctx.body.force === true;
      return ctx.repo.mutex.run(async () => {
        const before = await ctx.repo.git.readRef(ref);
        if (!before) throw ApiError.unprocessable('Reference does not exist');
        if ((await ctx.repo.git.objectType(sha)) !== 'commit') throw ApiError.unprocessable('Object does not exist');
        const fastForward = await ctx.repo.git.isAncestor(before, sha);
        if (!force && !fastForward) throw ApiError.unprocessable('Update is not a fast forward');
        checkProtected(ctx, ref);
        if (before !== sha) {
          if (!(await ctx.repo.git.updateRef(ref, sha, before))) throw ApiError.unprocessable('Reference cannot be updated');
          await refMoved(ctx.core, ctx.repo, { ref, before, after: sha, pusher: actorLogin(ctx.actor!), forced: !fastForward });
        }
        return json(200, await render(ctx, ref, sha));
      });
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/git/refs/*ref',
    scope: ['contents', 'write'],
    handler: async (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      return ctx.repo.mutex.run(async () => {
        const before = await ctx.repo.git.readRef(ref);
        if (!before) throw ApiError.unprocessable('Reference does not exist');
        checkProtected(ctx, ref);
        await ctx.repo.git.deleteRef(ref);
        await refMoved(ctx.core, ctx.repo, { ref, before, after: ZERO_SHA, pusher: actorLogin(ctx.actor!), forced: false });
        return noContent();
      });
    },
  },
];
