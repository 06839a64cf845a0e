import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';
import { PitcrewError } from '../domain/errors.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { sendJson } from './respond.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | '*';

interface Route {
  method: Method;
  path: string;
  /** Match `path` and everything under it (for mounted apps such as Bolt or Probot). */
  prefix: boolean;
  handler: Handler;
}

/**
 * The one HTTP server for all inbound traffic. Adapters mount their routes;
 * the server owns listening, errors, request metrics and graceful close.
 */
export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly server: Server;
  private inFlight = 0;
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route'>;

  constructor(
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.requests = new Counter({ name: 'pitcrew_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers: [metrics.registry] });
    this.duration = new Histogram({ name: 'pitcrew_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [metrics.registry] });
  }

  route(method: Method, path: string, handler: Handler, options: { prefix?: boolean } = {}): this {
    this.routes.push({ method, path, handler, prefix: options.prefix ?? false });
    return this;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE'
          ? new PitcrewError('http_port_in_use', `PORT=${port} is already in use on ${host}.`, 'Stop the other process, or set PORT to a free port.')
          : error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return (this.server.address() as { port: number }).port;
  }

  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes. */
  async close(graceMs = 10_000): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => {
      this.log.warn({ inFlight: this.inFlight }, 'http close grace period over; dropping connections');
      this.server.closeAllConnections();
    }, graceMs);
    force.unref();
    await closed;
    clearTimeout(force);
  }

  private match(req: IncomingMessage): Route | undefined {
    const path = (req.url ?? '/').split('?')[0]!;
    return this.routes.find((route) =>
      (route.method === '*' || route.method === req.method) &&
      (route.prefix ? path === route.path || path.startsWith(`${route.path.replace(/\/$/, '')}/`) : path === route.path));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = this.match(req);
    const label = route?.path ?? 'unmatched';
    const stopTimer = this.duration.startTimer({ route: label });
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      stopTimer();
      this.requests.inc({ route: label, method: req.method ?? '?', status: String(res.statusCode) });
    });
    if (!route) {
      sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${req.url}` });
      return;
    }
    try {
      await route.handler(req, res);
    } catch (error) {
      this.log.error({ err: error, route: label }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error; see the pitcrew log' });
      else res.destroy();
    }
  }
}
