import { randomBytes } from 'node:crypto';
import type { FakeRequest, FakeResponse, RequestRecord } from '../http/fake-server.js';
import { Router } from '../http/router.js';
import { authenticate } from './auth.js';
import type { GitHubCore } from './core.js';
import { ApiError } from './errors.js';
import type { Actor, AppPermissionLevel, RepoRecord } from './model.js';
import { PERMISSION_RANK } from './model.js';
import type { ActionsRunner } from './ops/actions.js';
import type { LogLinks } from './ops/log-links.js';
import type { Ctx, RouteDef } from './routes/route.js';
import type { WebhookSender } from './webhooks/sender.js';
import type { WriteLog } from './write-log.js';

export interface DispatchDeps {
  core: GitHubCore;
  webhooks: WebhookSender;
  actions: ActionsRunner;
  logLinks: LogLinks;
  writes: WriteLog;
  /** Time each content-creating request takes, so overlapping client writes overlap here too. */
  writeLatencyMs: number;
}

const LEVEL_RANK: Record<AppPermissionLevel, number> = { read: 1, write: 2, admin: 3 };

/** Writes that are not "content-creating" for GitHub's secondary limits. */
const NOT_CONTENT = [/^\/app\/installations\/\d+\/access_tokens$/];

/**
 * Turns an HTTP request into a route call: GHES-style `/api/v3` prefix,
 * authentication, repository visibility and permission checks, the write log,
 * and GitHub-shaped errors and headers.
 */
export function createDispatcher(routes: RouteDef[], deps: DispatchDeps) {
  const router = new Router<RouteDef>();
  for (const route of routes) router.add(route.method, route.path, route);

  return async (req: FakeRequest, record: Partial<RequestRecord>): Promise<FakeResponse> => {
    const path = req.path.replace(/^\/api\/v3(?=\/|$)/, '') || '/';
    const logs = /^\/_fake\/job-logs\/([0-9a-f]+)$/.exec(path);
    if (logs && req.method === 'GET') return deps.logLinks.serve(logs[1]!);
    const headers = responseHeaders(deps.core);
    try {
      const match = router.match(req.method, path);
      // GitHub answers 404 for unknown paths too; the header tells a developer the fake lacks the route.
      if (!match || 'methodNotAllowed' in match) throw new ApiError(404, 'Not Found', undefined, { 'x-sandbox-unimplemented': `${req.method} ${path}` });
      const route = match.handler;
      const actor = authenticate(deps.core, req.headers.authorization);
      if (actor) record.actor = actor.label;
      checkAuthKind(route, actor);
      const repo = match.params.owner && match.params.repo ? deps.core.repo(match.params.owner, match.params.repo) : undefined;
      if (repo && actor) checkRepoAccess(deps.core, route, actor, repo);
      const body = parseBody(req);
      if (req.method !== 'GET' && Object.keys(body).length > 0) record.body = body;
      const ctx: Ctx = { ...deps, req: { ...req, path }, params: match.params, query: req.query, body, actor, repo: repo as RepoRecord };
      const content = req.method !== 'GET' && !route.notContent && !NOT_CONTENT.some((pattern) => pattern.test(path)) && actor && actor.kind !== 'app';
      if (!content) return withHeaders(await route.handler(ctx), headers);
      const write = deps.writes.begin(actor.label, req.method, path);
      if ('retryAfter' in write) {
        throw new ApiError(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.', undefined, { 'retry-after': String(write.retryAfter) });
      }
      let status = 500;
      try {
        if (deps.writeLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.writeLatencyMs));
        const response = await route.handler(ctx);
        status = response.status;
        return withHeaders(response, headers);
      } catch (error) {
        status = error instanceof ApiError ? error.status : 500;
        throw error;
      } finally {
        write.end(status);
      }
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, headers: { ...headers, ...error.headers }, body: error.body() };
      return { status: 500, headers, body: { message: `Server Error: ${(error as Error).message}`, documentation_url: 'https://docs.github.com/rest', status: '500' } };
    }
  };
}

function checkAuthKind(route: RouteDef, actor: Actor | null): void {
  const kind = route.auth ?? 'token';
  if (kind === 'none') return;
  if (!actor) throw ApiError.requiresAuth();
  if (kind === 'app' && actor.kind !== 'app') throw new ApiError(401, 'A JSON web token could not be decoded');
  if (kind === 'token' && actor.kind === 'app') throw ApiError.notAccessibleByIntegration();
}

/**
 * Installations see only the repositories they are installed on (404 otherwise,
 * as GitHub hides them) and need the route's permission (403 otherwise).
 * Users see private repositories only as collaborators, and writes need write access.
 */
function checkRepoAccess(core: GitHubCore, route: RouteDef, actor: Actor, repo: RepoRecord): void {
  if (actor.kind === 'app') return;
  if (actor.kind === 'installation') {
    const installed = core.installationFor(actor.app, repo)?.id === actor.installation.id;
    const narrowed = actor.token.repos && !actor.token.repos.has(repo.fullName.toLowerCase());
    if (!installed || narrowed) throw ApiError.notFound();
    if (!route.scope) return;
    const granted = actor.token.permissions ?? actor.installation.permissions;
    const alternatives = (Array.isArray(route.scope[0]) ? route.scope : [route.scope]) as Array<[string, AppPermissionLevel]>;
    const ok = alternatives.some(([scope, needed]) => {
      const level = granted[scope];
      return scope === 'metadata' || (level !== undefined && LEVEL_RANK[level] >= LEVEL_RANK[needed]);
    });
    if (!ok) throw ApiError.notAccessibleByIntegration();
    return;
  }
  const permission = core.permissionOf(repo, actor.login);
  if (repo.private && permission === 'none') throw ApiError.notFound();
  const needed = route.role ?? (route.method === 'GET' ? 'read' : 'write');
  if (PERMISSION_RANK[permission] < PERMISSION_RANK[needed]) {
    if (repo.private || route.method === 'GET') throw new ApiError(403, `Must have ${needed === 'admin' ? 'admin rights' : 'push access'} to Repository.`);
    throw ApiError.notFound();
  }
}

function parseBody(req: FakeRequest): Record<string, unknown> {
  if (req.method === 'GET' || req.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch (error) {
    throw ApiError.invalidBody((error as Error).message);
  }
  if (Array.isArray(value)) return { __array: value };
  if (value === null || typeof value !== 'object') throw ApiError.invalidBody('the body is not a JSON object');
  return value as Record<string, unknown>;
}

function responseHeaders(core: GitHubCore): Record<string, string> {
  return {
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(core.now() / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
  };
}

function withHeaders(response: FakeResponse, headers: Record<string, string>): FakeResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}
