import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../domain/clock.js';

/** A request as the fakes see it: the body is read in full (the fakes never take large uploads). */
export interface FakeRequest {
  method: string;
  /** Path without the query string, not decoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Base URL the client used, e.g. `http://127.0.0.1:41234`. */
  origin: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string | number>;
  /** Objects and arrays are sent as JSON; strings and Buffers as they are; a Readable is streamed. */
  body?: unknown;
}

/** One line of a fake's request log. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  /** Who the fake decided the caller was (a login, an app, a token kind), when it could tell. */
  actor?: string;
  /** Clock time when the request arrived and when its answer was sent (epoch ms). */
  startedAt: number;
  finishedAt: number;
  /** Parsed JSON/form body of mutating requests, for assertions. */
  body?: unknown;
}

export type FakeHandler = (req: FakeRequest, record: Partial<RequestRecord>) => Promise<FakeResponse>;

/**
 * The HTTP shell shared by the sandbox fakes: listens on loopback, reads the
 * body, calls one handler, writes its answer and keeps a log of every request.
 */
export class FakeHttpServer {
  readonly requests: RequestRecord[] = [];
  private readonly server: Server;
  private baseUrl = '';

  constructor(
    private readonly handler: FakeHandler,
    private readonly clock: Clock,
  ) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('the fake is not listening yet; call start() first');
    return this.baseUrl;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = this.clock.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: Partial<RequestRecord> = { method: req.method ?? 'GET', path: url.pathname, query: url.search, startedAt };
    let response: FakeResponse;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      response = await this.handler(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
          origin: `http://${req.headers.host ?? new URL(this.baseUrl).host}`,
        },
        record,
      );
    } catch (error) {
      response = { status: 500, body: { message: `fake server error: ${(error as Error).message}` } };
    }
    record.status = response.status;
    await this.write(res, response).catch(() => res.destroy());
    record.finishedAt = this.clock.now();
    this.requests.push(record as RequestRecord);
  }

  private async write(res: ServerResponse, response: FakeResponse): Promise<void> {
    const headers: Record<string, string | number> = { ...response.headers };
    const { body } = response;
    if (body instanceof Readable) {
      res.writeHead(response.status, headers);
      await pipeline(body, res);
      return;
    }
    let payload: Buffer | undefined;
    if (body === undefined || body === null) payload = undefined;
    else if (Buffer.isBuffer(body)) payload = body;
    else if (typeof body === 'string') payload = Buffer.from(body);
    else {
      payload = Buffer.from(JSON.stringify(body));
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] = payload.length;
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}
