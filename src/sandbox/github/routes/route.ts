import type { FakeRequest, FakeResponse } from '../../http/fake-server.js';
import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { Actor, AppPermissionLevel, Permission, RepoRecord } from '../model.js';
import type { WebhookSender } from '../webhooks/sender.js';
import type { ActionsRunner } from '../ops/actions.js';
import type { LogLinks } from '../ops/log-links.js';

/** What a GitHub route handler gets. */
export interface Ctx {
  core: GitHubCore;
  webhooks: WebhookSender;
  actions: ActionsRunner;
  logLinks: LogLinks;
  req: FakeRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** null only on routes with `auth: 'none'`. */
  actor: Actor | null;
  /** The repository named by `:owner/:repo`, after the access check. */
  repo: RepoRecord;
}

export type Handler = (ctx: Ctx) => Promise<FakeResponse> | FakeResponse;

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
  /** `app`: a GitHub App JWT; `token`: an installation or user token (default); `none`: anonymous allowed. */
  auth?: 'app' | 'token' | 'none';
  /** The GitHub App permission an installation token needs (repository routes); a list means any of them. */
  scope?: [string, AppPermissionLevel] | Array<[string, AppPermissionLevel]>;
  /** The repository role a user token needs; defaults to read for GET and write otherwise. */
  role?: Permission;
  /** Not a content-creating request even though it mutates (kept out of the write log). */
  notContent?: boolean;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers };
}

export const noContent = (): FakeResponse => ({ status: 204 });

/** Pages a list with `per_page`/`page` and a `Link` header, as Octokit's paginate() expects. */
export function paginate<T>(ctx: Ctx, items: T[], wrap?: (page: T[]) => unknown): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number) => {
    const url = new URL(`${ctx.req.origin}${ctx.req.path}`);
    for (const [key, value] of ctx.query) url.searchParams.set(key, value);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const rels: string[] = [];
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  return json(200, wrap ? wrap(slice) : slice, rels.length > 0 ? { link: rels.join(', ') } : {});
}

export function intParam(ctx: Ctx, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isInteger(value) || value <= 0) throw ApiError.notFound();
  return value;
}

export function bodyString(ctx: Ctx, field: string): string | undefined {
  const value = ctx.body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ApiError.validation({ resource: 'Request', field, code: 'invalid', message: `${field} must be a string` });
  return value;
}

export function requireBodyString(ctx: Ctx, field: string, resource: string): string {
  const value = bodyString(ctx, field);
  if (value === undefined || value === '') throw ApiError.missingField(resource, field);
  return value;
}
