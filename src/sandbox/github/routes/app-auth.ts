import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { AppPermissionLevel, InstallationRecord } from '../model.js';
import { issueInstallationToken } from '../ops/accounts.js';
import { iso, type Schema } from '../render/common.js';
import { renderRepo } from '../render/repos.js';
import { renderApp, renderUser } from '../render/users.js';
import { json, paginate, type Ctx, type RouteDef } from './route.js';

export function renderInstallation(core: GitHubCore, installation: InstallationRecord): Schema<'installation'> {
  const app = core.apps.get(installation.appId)!;
  const account = core.user(installation.account);
  return {
    id: installation.id,
    account: renderUser(core, account),
    repository_selection: installation.selection,
    access_tokens_url: `${core.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${core.apiUrl}/installation/repositories`,
    html_url: `${core.webUrl}/settings/installations/${installation.id}`,
    app_id: app.id,
    client_id: app.clientId,
    target_id: account.id,
    target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: installation.permissions,
    events: app.events ?? [],
    created_at: iso(installation.createdAt),
    updated_at: iso(installation.createdAt),
    single_file_name: null,
    app_slug: app.slug,
    suspended_by: null,
    suspended_at: null,
  };
}

function appOf(ctx: Ctx) {
  if (ctx.actor?.kind !== 'app') throw new ApiError(401, 'A JSON web token could not be decoded');
  return ctx.actor.app;
}

function ownInstallation(ctx: Ctx, id: number): InstallationRecord {
  const installation = ctx.core.installations.get(id);
  if (!installation || installation.appId !== appOf(ctx).id) throw ApiError.notFound();
  return installation;
}

function installationOnAccount(ctx: Ctx, account: string) {
  const app = appOf(ctx);
  const installation = [...ctx.core.installations.values()].find((candidate) => candidate.appId === app.id && candidate.account.toLowerCase() === account.toLowerCase());
  if (!installation) throw ApiError.notFound();
  return json(200, renderInstallation(ctx.core, installation));
}

export const appAuthRoutes: RouteDef[] = [
  { method: 'GET', path: '/app', auth: 'app', handler: (ctx) => json(200, renderApp(ctx.core, appOf(ctx))) },
  {
    method: 'GET',
    path: '/app/installations',
    auth: 'app',
    handler: (ctx) => paginate(ctx, [...ctx.core.installations.values()].filter((installation) => installation.appId === appOf(ctx).id).map((installation) => renderInstallation(ctx.core, installation))),
  },
  { method: 'GET', path: '/app/installations/:id', auth: 'app', handler: (ctx) => json(200, renderInstallation(ctx.core, ownInstallation(ctx, Number(ctx.params.id)))) },
  {
    method: 'POST',
    path: '/app/installations/:id/access_tokens',
    auth: 'app',
    handler: (ctx) => {
      const installation = ownInstallation(ctx, Number(ctx.params.id));
      if (installation.suspended) throw new ApiError(403, 'This installation has been suspended');
      const names = Array.isArray(ctx.body.repositories) ? (ctx.body.repositories as string[]) : undefined;
      const ids = Array.isArray(ctx.body.repository_ids) ? (ctx.body.repository_ids as number[]) : undefined;
      const repos = [
        ...(names ?? []),
        ...(ids ?? []).map((id) => {
          const repo = [...ctx.core.repos.values()].find((candidate) => candidate.id === id);
          if (!repo) throw ApiError.unprocessable('There is at least one repository that does not exist or is not accessible to the parent installation.');
          return repo.name;
        }),
      ];
      const token = issueInstallationToken(ctx.core, installation, {
        ...(ctx.body.permissions ? { permissions: ctx.body.permissions as Record<string, AppPermissionLevel> } : {}),
        ...(names || ids ? { repos } : {}),
      });
      const visible = [...ctx.core.repos.values()].filter((repo) => ctx.core.installationFor(ctx.core.apps.get(installation.appId)!, repo)?.id === installation.id && (!token.repos || token.repos.has(repo.fullName.toLowerCase())));
      return json(201, {
        token: token.token,
        expires_at: iso(token.expiresAt!),
        permissions: token.permissions ?? installation.permissions,
        repository_selection: token.repos ? 'selected' : installation.selection,
        ...(token.repos ? { repositories: visible.map((repo) => renderRepo(ctx.core, repo)) } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/installation',
    auth: 'app',
    handler: (ctx) => {
      const installation = ctx.core.installationFor(appOf(ctx), ctx.repo);
      if (!installation) throw ApiError.notFound();
      return json(200, renderInstallation(ctx.core, installation));
    },
  },
  { method: 'GET', path: '/orgs/:org/installation', auth: 'app', handler: (ctx) => installationOnAccount(ctx, ctx.params.org!) },
  { method: 'GET', path: '/users/:username/installation', auth: 'app', handler: (ctx) => installationOnAccount(ctx, ctx.params.username!) },
  {
    method: 'GET',
    path: '/installation/repositories',
    handler: (ctx) => {
      if (ctx.actor?.kind !== 'installation') throw new ApiError(403, 'This endpoint can only be accessed with an installation access token.');
      const { app, installation, token } = ctx.actor;
      const repos = [...ctx.core.repos.values()].filter((repo) => ctx.core.installationFor(app, repo)?.id === installation.id && (!token.repos || token.repos.has(repo.fullName.toLowerCase())));
      return paginate(ctx, repos.map((repo) => renderRepo(ctx.core, repo)), (page) => ({ total_count: repos.length, repository_selection: installation.selection, repositories: page }));
    },
  },
];
