import type { components } from '@octokit/openapi-types';

export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : iso(ms);
}

/** A legacy-format global node id (`04:User1234` in base64), stable for a type and id. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64');
}
