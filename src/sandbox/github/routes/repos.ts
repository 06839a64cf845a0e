import { ApiError } from '../errors.js';
import type { Permission } from '../model.js';
import { ensureLabel } from '../ops/issues.js';
import { renderCommit } from '../render/git-data.js';
import { renderLabel, renderRepo } from '../render/repos.js';
import { renderUser } from '../render/users.js';
import { renderTeam } from './teams.js';
import { json, noContent, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

const ROLE_NAMES: Record<Permission, string> = { admin: 'admin', maintain: 'maintain', write: 'write', triage: 'triage', read: 'read' };
/** `GET /collaborators/{u}/permission` folds roles into the legacy admin/write/read/none. */
const LEGACY: Record<Permission | 'none', string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };

function viewer(ctx: Ctx): string | undefined {
  return ctx.actor?.kind === 'user' ? ctx.actor.login : undefined;
}

async function renderBranch(ctx: Ctx, name: string, sha: string) {
  const commit = (await ctx.repo.git.readCommit(sha))!;
  const api = `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}`;
  const rules = ctx.repo.protections.get(name);
  return {
    name,
    commit: renderCommit(ctx.core, ctx.repo, commit),
    _links: { self: `${api}/branches/${encodeURIComponent(name)}`, html: `${ctx.core.webUrl}/${ctx.repo.fullName}/tree/${name}` },
    protected: rules !== undefined,
    protection: {
      enabled: rules !== undefined,
      required_status_checks: { enforcement_level: rules && rules.requiredChecks.length > 0 ? 'non_admins' : 'off', contexts: rules?.requiredChecks ?? [], checks: (rules?.requiredChecks ?? []).map((context) => ({ context, app_id: null })) },
    },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  };
}

function collaboratorsOf(ctx: Ctx): Array<[string, Permission]> {
  const logins = new Set<string>([ctx.repo.owner.toLowerCase(), ...ctx.repo.collaborators.keys()]);
  for (const team of ctx.core.teams.values()) if (team.repos.has(ctx.repo.fullName.toLowerCase())) for (const member of team.members.keys()) logins.add(member);
  for (const [member, role] of ctx.core.orgMembers.get(ctx.repo.owner.toLowerCase()) ?? []) if (role === 'admin') logins.add(member);
  return [...logins]
    .map((login) => [ctx.core.user(login).login, ctx.core.permissionOf(ctx.repo, login)] as [string, Permission | 'none'])
    .filter((entry): entry is [string, Permission] => entry[1] !== 'none' && ctx.core.user(entry[0]).type === 'User');
}

export const repoRoutes: RouteDef[] = [
  { method: 'GET', path: '/repos/:owner/:repo', scope: ['metadata', 'read'], handler: (ctx) => json(200, renderRepo(ctx.core, ctx.repo, viewer(ctx))) },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/branches',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const refs = await ctx.repo.git.listRefs('refs/heads/');
      const onlyProtected = ctx.query.get('protected') === 'true';
      const branches = refs
        .map((ref) => ({ name: ref.ref.slice('refs/heads/'.length), sha: ref.sha }))
        .filter((branch) => !onlyProtected || ctx.repo.protections.has(branch.name))
        .map((branch) => ({ name: branch.name, commit: { sha: branch.sha, url: `${ctx.core.apiUrl}/repos/${ctx.repo.fullName}/commits/${branch.sha}` }, protected: ctx.repo.protections.has(branch.name) }));
      return paginate(ctx, branches);
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/branches/*branch',
    scope: ['contents', 'read'],
    handler: async (ctx) => {
      const sha = await ctx.repo.git.readRef(`refs/heads/${ctx.params.branch}`);
      if (!sha) throw new ApiError(404, 'Branch not found');
      return json(200, await renderBranch(ctx, ctx.params.branch!, sha));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/collaborators',
    scope: ['metadata', 'read'],
    handler: (ctx) =>
      paginate(
        ctx,
        collaboratorsOf(ctx).map(([login, permission]) => ({
          ...renderUser(ctx.core, ctx.core.user(login)),
          permissions: { admin: permission === 'admin', maintain: ['admin', 'maintain'].includes(permission), push: ['admin', 'maintain', 'write'].includes(permission), triage: permission !== 'read', pull: true },
          role_name: ROLE_NAMES[permission],
        })),
      ),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/collaborators/:username',
    scope: ['metadata', 'read'],
    handler: (ctx) => {
      if (!ctx.core.findUser(ctx.params.username!) || ctx.core.permissionOf(ctx.repo, ctx.params.username!) === 'none') throw ApiError.notFound();
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/collaborators/:username/permission',
    scope: ['metadata', 'read'],
    handler: (ctx) => {
      const user = ctx.core.findUser(ctx.params.username!);
      if (!user) throw ApiError.notFound();
      const permission = ctx.core.permissionOf(ctx.repo, user.login);
      const rendered = renderUser(ctx.core, user);
      return json(200, {
        permission: LEGACY[permission],
        role_name: permission === 'none' ? 'none' : ROLE_NAMES[permission],
        user: permission === 'none' ? rendered : { ...rendered, permissions: { admin: permission === 'admin', maintain: ['admin', 'maintain'].includes(permission), push: ['admin', 'maintain', 'write'].includes(permission), triage: permission !== 'read', pull: true }, role_name: ROLE_NAMES[permission] },
      });
    },
  },
  {
    method: 'PUT',
    path: '/repos/:owner/:repo/collaborators/:username',
    scope: ['administration', 'write'],
    role: 'admin',
    handler: (ctx) => {
      const user = ctx.core.user(ctx.params.username!);
      const permission = (typeof ctx.body.permission === 'string' ? ctx.body.permission : 'push').replace('push', 'write').replace('pull', 'read') as Permission;
      if (!['admin', 'maintain', 'write', 'triage', 'read'].includes(permission)) throw ApiError.validation({ resource: 'Repository', field: 'permission', code: 'invalid' });
      const existed = ctx.repo.collaborators.has(user.login.toLowerCase());
      ctx.repo.collaborators.set(user.login.toLowerCase(), permission);
      // GitHub sends an invitation (201) to new collaborators; the fake accepts it at once.
      return existed ? noContent() : json(201, { id: ctx.core.id(), repository: renderRepo(ctx.core, ctx.repo), invitee: renderUser(ctx.core, user), permissions: permission });
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/teams',
    scope: ['metadata', 'read'],
    handler: (ctx) => paginate(ctx, [...ctx.core.teams.values()].filter((team) => team.repos.has(ctx.repo.fullName.toLowerCase())).map((team) => renderTeam(ctx.core, team, team.repos.get(ctx.repo.fullName.toLowerCase())))),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/labels',
    scope: [['issues', 'read'], ['pull_requests', 'read']],
    handler: (ctx) => paginate(ctx, [...ctx.repo.labels.values()].map((label) => renderLabel(ctx.core, ctx.repo, label))),
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/labels/:name',
    scope: [['issues', 'read'], ['pull_requests', 'read']],
    handler: (ctx) => {
      const label = ctx.repo.labels.get(ctx.params.name!.toLowerCase());
      if (!label) throw ApiError.notFound();
      return json(200, renderLabel(ctx.core, ctx.repo, label));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/labels',
    scope: [['issues', 'write'], ['pull_requests', 'write']],
    handler: (ctx) => {
      const name = requireBodyString(ctx, 'name', 'Label');
      if (ctx.repo.labels.has(name.toLowerCase())) throw ApiError.validation({ resource: 'Label', field: 'name', code: 'already_exists' });
      const color = typeof ctx.body.color === 'string' ? ctx.body.color.replace(/^#/, '') : undefined;
      const label = ensureLabel(ctx.core, ctx.repo, name, { ...(color ? { color } : {}), description: typeof ctx.body.description === 'string' ? ctx.body.description : null });
      return json(201, renderLabel(ctx.core, ctx.repo, label));
    },
  },
];
