import type { GitHubCore } from '../core.js';
import type { AppRecord, UserRecord } from '../model.js';
import { iso, nodeId, type Schema } from './common.js';

export function renderUser(core: GitHubCore, user: UserRecord): Schema<'simple-user'> {
  const api = `${core.apiUrl}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `${core.webUrl}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: user.type === 'Bot' ? `${core.webUrl}/apps/${user.login.replace(/\[bot\]$/, '')}` : `${core.webUrl}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: user.siteAdmin,
  };
}

export function renderLogin(core: GitHubCore, login: string): Schema<'simple-user'> {
  return renderUser(core, core.user(login));
}

/** `GET /users/{username}`: the public profile. */
export function renderPublicUser(core: GitHubCore, user: UserRecord): Schema<'public-user'> {
  return {
    ...renderUser(core, user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: [...core.repos.values()].filter((repo) => repo.owner.toLowerCase() === user.login.toLowerCase() && !repo.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: iso(user.createdAt),
    updated_at: iso(user.createdAt),
  };
}

export function renderApp(core: GitHubCore, app: AppRecord): Schema<'integration'> {
  const owner = core.user(app.owner);
  return {
    id: app.id,
    slug: app.slug,
    client_id: app.clientId,
    node_id: nodeId('Integration', app.id),
    owner: renderUser(core, owner),
    name: app.name,
    description: null,
    external_url: `${core.webUrl}/apps/${app.slug}`,
    html_url: `${core.webUrl}/apps/${app.slug}`,
    created_at: iso(app.createdAt),
    updated_at: iso(app.createdAt),
    permissions: app.permissions,
    events: app.events ?? [],
    installations_count: [...core.installations.values()].filter((installation) => installation.appId === app.id).length,
  };
}
