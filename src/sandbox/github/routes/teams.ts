import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { Permission, TeamRecord } from '../model.js';
import { nodeId, type Schema } from '../render/common.js';
import { renderRepo } from '../render/repos.js';
import { renderPublicUser, renderUser } from '../render/users.js';
import { json, noContent, paginate, type Ctx, type RouteDef } from './route.js';

const LEGACY_TEAM: Record<Permission, string> = { admin: 'admin', maintain: 'maintain', write: 'push', triage: 'triage', read: 'pull' };

export function renderTeam(core: GitHubCore, team: TeamRecord, permission?: Permission): Schema<'team'> {
  const api = `${core.apiUrl}/orgs/${team.org}/teams/${team.slug}`;
  return {
    id: team.id,
    node_id: nodeId('Team', team.id),
    url: api,
    html_url: `${core.webUrl}/orgs/${team.org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: permission ? LEGACY_TEAM[permission] : 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    type: 'organization',
    organization_id: core.user(team.org).id,
    parent: null,
  };
}

/** Team and org membership are visible to installations with `members: read`, and to users in the org. */
function checkOrgAccess(ctx: Ctx, org: string): void {
  const account = ctx.core.findUser(org);
  if (!account || account.type !== 'Organization') throw ApiError.notFound();
  const actor = ctx.actor!;
  if (actor.kind === 'installation') {
    if (actor.installation.account.toLowerCase() !== org.toLowerCase()) throw ApiError.notFound();
    if (!(actor.token.permissions ?? actor.installation.permissions).members) throw ApiError.notAccessibleByIntegration();
    return;
  }
  if (actor.kind === 'user' && !ctx.core.orgMembers.get(org.toLowerCase())?.has(actor.login.toLowerCase())) throw ApiError.notFound();
}

export const teamRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/users/:username',
    handler: (ctx) => json(200, renderPublicUser(ctx.core, ctx.core.user(ctx.params.username!))),
  },
  {
    method: 'GET',
    path: '/user',
    handler: (ctx) => {
      if (ctx.actor?.kind !== 'user') throw ApiError.notAccessibleByIntegration();
      return json(200, renderPublicUser(ctx.core, ctx.core.user(ctx.actor.login)));
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/members',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      const roster = ctx.core.orgMembers.get(ctx.params.org!.toLowerCase()) ?? new Map();
      return paginate(ctx, [...roster.keys()].map((login) => renderUser(ctx.core, ctx.core.user(login))));
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/members/:username',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      if (!ctx.core.orgMembers.get(ctx.params.org!.toLowerCase())?.has(ctx.params.username!.toLowerCase())) throw ApiError.notFound();
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      return paginate(ctx, [...ctx.core.teams.values()].filter((team) => team.org.toLowerCase() === ctx.params.org!.toLowerCase()).map((team) => renderTeam(ctx.core, team)));
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:slug',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      return json(200, renderTeam(ctx.core, ctx.core.team(ctx.params.org!, ctx.params.slug!)));
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:slug/members',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      const team = ctx.core.team(ctx.params.org!, ctx.params.slug!);
      const role = ctx.query.get('role') ?? 'all';
      const members = [...team.members].filter(([, memberRole]) => role === 'all' || role === memberRole).map(([login]) => renderUser(ctx.core, ctx.core.user(login)));
      return paginate(ctx, members);
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:slug/memberships/:username',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      const team = ctx.core.team(ctx.params.org!, ctx.params.slug!);
      const role = team.members.get(ctx.params.username!.toLowerCase());
      if (!role) throw ApiError.notFound();
      return json(200, { url: `${ctx.core.apiUrl}/orgs/${team.org}/teams/${team.slug}/memberships/${ctx.params.username}`, role, state: 'active' });
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:slug/repos',
    handler: (ctx) => {
      checkOrgAccess(ctx, ctx.params.org!);
      const team = ctx.core.team(ctx.params.org!, ctx.params.slug!);
      return paginate(ctx, [...team.repos.keys()].map((name) => ctx.core.repos.get(name)).filter((repo) => repo !== undefined).map((repo) => renderRepo(ctx.core, repo)));
    },
  },
];
