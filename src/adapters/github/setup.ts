import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../ops/logger.js';

/**
 * Probot's manifest flow, on pitcrew's own HTTP server, for when the GitHub
 * App is not configured yet: `/probot` shows the page that registers the app
 * on GitHub from `app.yml`, GitHub redirects back to `/probot/setup` with a
 * code, Probot exchanges it for the app's credentials and writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET to `.env`; restart and GitHub is on.
 *
 * Probot's setup handler, views and manifest builder are used as they are.
 * They are not in Probot's export map, so they are loaded by file URL next to
 * its entry point (pinned by probot ^14; test/e2e/github-setup.test.ts breaks
 * if they move). Two things differ from `probot run`: the manifest's webhook
 * URL is pitcrew's `/api/github/webhooks` (Probot's points at `/`), and no
 * smee.io channel is created (pitcrew does not run a webhook proxy).
 */
export const APP_MANIFEST = fileURLToPath(new URL('../../../app.yml', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));
export const WEBHOOK_PATH = '/api/github/webhooks';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

interface ProbotSetupModules {
  setupAppFactory(options: { host: string; port: number; log: Logger; updateEnv?: (env: Record<string, string>) => unknown }): () => Promise<Handler>;
  ManifestCreation: new (options?: { updateEnv?: (env: Record<string, string>) => unknown }) => {
    getManifest(options: { pkg: Record<string, unknown>; baseUrl: string; readFileSync?: (path: string, encoding: string) => string }): string;
    readonly createAppUrl: string;
  };
  setupView(input: { name?: string; description?: string; version?: string; createAppUrl: string; manifest: string }): string;
  staticFilesHandler: Handler;
}

async function loadProbotSetup(): Promise<ProbotSetupModules> {
  const entry = import.meta.resolve('probot');
  const load = async (path: string) => import(new URL(path, entry).href) as Promise<Record<string, unknown>>;
  const [setup, manifest, view, statics] = await Promise.all([load('./apps/setup.js'), load('./manifest-creation.js'), load('./views/setup.js'), load('./server/handlers/static-files.js')]);
  return {
    setupAppFactory: setup.setupAppFactory as ProbotSetupModules['setupAppFactory'],
    ManifestCreation: manifest.ManifestCreation as ProbotSetupModules['ManifestCreation'],
    setupView: view.setupView as ProbotSetupModules['setupView'],
    staticFilesHandler: statics.staticFilesHandler as Handler,
  };
}

export interface SetupOptions {
  host: string;
  port: number;
  log: Logger;
  /** GITHUB_API_URL: a GitHub Enterprise Server API URL (`https://ghe.example.com/api/v3`) registers the app there. */
  apiUrl?: string;
  /** Where the credentials go; Probot's default writes `.env` in the working directory. */
  updateEnv?: (env: Record<string, string>) => unknown;
}

/** An HTTP handler for `/`, `/probot` and `/probot/*`; answers false for anything else. */
export async function createSetupHandler(options: SetupOptions): Promise<Handler> {
  process.env.NO_SMEE_SETUP ??= 'true';
  if (options.apiUrl) pointAtEnterprise(options.apiUrl);
  const probot = await loadProbotSetup();
  const setup = await probot.setupAppFactory({ host: options.host, port: options.port, log: options.log, ...(options.updateEnv ? { updateEnv: options.updateEnv } : {}) })();
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { name?: string; description?: string; version?: string };

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/probot') {
      const creation = new probot.ManifestCreation(options.updateEnv ? { updateEnv: options.updateEnv } : {});
      const baseUrl = baseUrlOf(req);
      const manifest = JSON.parse(creation.getManifest({ pkg, baseUrl, readFileSync: () => readFileSync(APP_MANIFEST, 'utf8') })) as Record<string, unknown>;
      manifest.hook_attributes = { ...(manifest.hook_attributes as object | undefined), url: `${baseUrl}${WEBHOOK_PATH}` };
      // The manifest sits in a single-quoted HTML attribute: keep it valid JSON with no quote or markup characters.
      const inert = JSON.stringify(manifest).replace(/['<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(probot.setupView({ name: pkg.name, version: pkg.version, description: pkg.description, createAppUrl: creation.createAppUrl, manifest: inert }));
      return true;
    }
    if (await probot.staticFilesHandler(req, res)) return true;
    return setup(req, res);
  };
}

function baseUrlOf(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const protocol = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
  return `${protocol}://${Array.isArray(host) ? host[0] : host}`;
}

/** Probot's manifest flow reads GHE_HOST/GHE_PROTOCOL; derive them from a GHES API URL. */
function pointAtEnterprise(apiUrl: string): void {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com' || !url.pathname.replace(/\/+$/, '').endsWith('/api/v3')) return;
  process.env.GHE_HOST ??= url.host;
  process.env.GHE_PROTOCOL ??= url.protocol.replace(':', '');
}

/**
 * Mounts the setup page on `/` and `/probot/*`. Probot's setup code loads on
 * the first request, so a service that never shows the page never pays for it.
 */
export function mountGitHubSetup(http: HttpServer, options: SetupOptions): void {
  let handler: Promise<Handler> | null = null;
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    handler ??= createSetupHandler({ ...options, log: options.log.child({ component: 'github-setup' }) }).catch((error: unknown) => {
      handler = null;
      throw error;
    });
    if (!(await (await handler)(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  http.route('GET', '/', serve);
  http.route('*', '/probot', serve, { prefix: true });
}
