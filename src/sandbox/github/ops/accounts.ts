import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { AppPermissionLevel, AppRecord, InstallationRecord, Permission, TeamRecord, TokenRecord, UserRecord } from '../model.js';

export interface NewUser {
  login: string;
  name?: string;
  email?: string;
  siteAdmin?: boolean;
}

export function createUser(core: GitHubCore, input: NewUser, type: UserRecord['type'] = 'User'): UserRecord {
  const existing = core.findUser(input.login);
  if (existing) return existing;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\[bot\])?$/.test(input.login)) {
    throw new Error(`"${input.login}" is not a valid GitHub login (letters, digits and single hyphens)`);
  }
  const user: UserRecord = {
    id: core.id(),
    login: input.login,
    type,
    name: input.name ?? null,
    email: input.email ?? null,
    siteAdmin: input.siteAdmin ?? false,
    createdAt: core.now(),
  };
  core.users.set(input.login.toLowerCase(), user);
  return user;
}

export function createOrg(core: GitHubCore, login: string, members: Record<string, 'admin' | 'member'> = {}): UserRecord {
  const org = createUser(core, { login }, 'Organization');
  const roster = core.orgMembers.get(login.toLowerCase()) ?? new Map<string, 'admin' | 'member'>();
  for (const [member, role] of Object.entries(members)) {
    createUser(core, { login: member });
    roster.set(member.toLowerCase(), role);
  }
  core.orgMembers.set(login.toLowerCase(), roster);
  return org;
}

export function createTeam(core: GitHubCore, input: { org: string; slug: string; name?: string; members?: string[]; maintainers?: string[]; repos?: Record<string, Permission> }): TeamRecord {
  const org = core.findUser(input.org);
  if (!org || org.type !== 'Organization') throw new Error(`team ${input.slug}: ${input.org} is not an organization; create it with addOrg() first`);
  const key = `${input.org}/${input.slug}`.toLowerCase();
  const team: TeamRecord = core.teams.get(key) ?? {
    id: core.id(),
    org: org.login,
    slug: input.slug,
    name: input.name ?? input.slug,
    description: null,
    members: new Map(),
    repos: new Map(),
  };
  const roster = core.orgMembers.get(org.login.toLowerCase())!;
  for (const login of input.members ?? []) {
    createUser(core, { login });
    team.members.set(login.toLowerCase(), 'member');
    if (!roster.has(login.toLowerCase())) roster.set(login.toLowerCase(), 'member');
  }
  for (const login of input.maintainers ?? []) {
    createUser(core, { login });
    team.members.set(login.toLowerCase(), 'maintainer');
    if (!roster.has(login.toLowerCase())) roster.set(login.toLowerCase(), 'member');
  }
  for (const [repo, permission] of Object.entries(input.repos ?? {})) team.repos.set(repo.toLowerCase(), permission);
  core.teams.set(key, team);
  return team;
}

export interface NewApp {
  slug: string;
  name?: string;
  owner?: string;
  /** PEM public key of an existing private key; omit to have the fake generate a key pair, null for none (an app nobody authenticates as). */
  publicKey?: string | KeyObject | null;
  webhook?: { url: string; secret: string } | null;
  events?: string[] | null;
  permissions?: Record<string, AppPermissionLevel>;
}

export const ALL_PERMISSIONS: Record<string, AppPermissionLevel> = {
  actions: 'write',
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  members: 'read',
  pull_requests: 'write',
  statuses: 'write',
};

export function createApp(core: GitHubCore, input: NewApp): AppRecord {
  let publicKey: KeyObject | null;
  let privateKeyPem: string | null = null;
  if (input.publicKey === null) {
    publicKey = null;
  } else if (input.publicKey) {
    publicKey = typeof input.publicKey === 'string' ? createPublicKey(input.publicKey) : input.publicKey;
  } else {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = pair.publicKey;
    privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  const owner = input.owner ?? 'github';
  if (!core.findUser(owner)) createUser(core, { login: owner });
  const botLogin = `${input.slug}[bot]`;
  createUser(core, { login: botLogin }, 'Bot');
  const app: AppRecord = {
    id: core.id(),
    slug: input.slug,
    name: input.name ?? input.slug,
    clientId: `Iv1.${randomBytes(8).toString('hex')}`,
    owner,
    publicKey,
    privateKeyPem,
    webhook: input.webhook ?? null,
    events: input.events ?? null,
    permissions: input.permissions ?? { ...ALL_PERMISSIONS },
    botLogin,
    createdAt: core.now(),
  };
  core.apps.set(app.id, app);
  return app;
}

/** Installs `app` on an account, for all its repositories or the listed ones. */
export function installApp(core: GitHubCore, app: AppRecord, account: string, repos?: string[]): InstallationRecord {
  if (!core.findUser(account)) throw new Error(`cannot install ${app.slug} on ${account}: no such user or organization`);
  const existing = [...core.installations.values()].find((installation) => installation.appId === app.id && installation.account.toLowerCase() === account.toLowerCase());
  if (existing) {
    if (repos && existing.selection === 'selected') for (const repo of repos) existing.repos.add(qualify(account, repo));
    return existing;
  }
  const installation: InstallationRecord = {
    id: core.id(),
    appId: app.id,
    account: core.user(account).login,
    selection: repos ? 'selected' : 'all',
    repos: new Set((repos ?? []).map((repo) => qualify(account, repo))),
    permissions: { ...app.permissions },
    createdAt: core.now(),
    suspended: false,
  };
  core.installations.set(installation.id, installation);
  return installation;
}

function qualify(account: string, repo: string): string {
  return (repo.includes('/') ? repo : `${account}/${repo}`).toLowerCase();
}

/** An installation access token, valid for one hour like GitHub's. */
export function issueInstallationToken(
  core: GitHubCore,
  installation: InstallationRecord,
  narrow: { permissions?: Record<string, AppPermissionLevel>; repos?: string[] } = {},
): TokenRecord {
  for (const [scope, level] of Object.entries(narrow.permissions ?? {})) {
    const granted = installation.permissions[scope];
    if (!granted || (level === 'write' && granted === 'read') || (level === 'admin' && granted !== 'admin')) {
      throw ApiError.unprocessable(`The permissions requested are not granted to this installation.`);
    }
  }
  const token: TokenRecord = {
    token: `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`,
    kind: 'installation',
    installationId: installation.id,
    expiresAt: core.authClock.now() + 60 * 60 * 1000,
    ...(narrow.permissions ? { permissions: narrow.permissions } : {}),
    ...(narrow.repos ? { repos: new Set(narrow.repos.map((repo) => qualify(installation.account, repo))) } : {}),
  };
  core.tokens.set(token.token, token);
  return token;
}

/** A personal access token acting as `login`. */
export function issueUserToken(core: GitHubCore, login: string): string {
  const user = core.findUser(login);
  if (!user) throw new Error(`no user ${login}; add it with addUser() first`);
  const existing = [...core.tokens.values()].find((token) => token.kind === 'user' && token.login === user.login);
  if (existing) return existing.token;
  const token = `ghp_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
  core.tokens.set(token, { token, kind: 'user', login: user.login });
  return token;
}

/** A user's git identity: GitHub's noreply address, so commits link back to the account. */
export function gitIdentity(core: GitHubCore, login: string): { name: string; email: string } {
  const user = core.user(login);
  return { name: user.name ?? user.login, email: user.email ?? `${user.id}+${user.login}@users.noreply.github.com` };
}
