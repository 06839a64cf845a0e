import type { FakeResponse } from '../http/fake-server.js';

/** A Kubernetes `Status` failure, the body every API error carries. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  response(): FakeResponse {
    return {
      status: this.code,
      headers: { 'content-type': 'application/json' },
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code },
    };
  }

  static notFound(resource: string, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${resource}.apps "${name}" not found`, { name, group: 'apps', kind: resource });
  }
}
