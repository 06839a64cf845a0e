import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod/v4';
import type { AppPermissionLevel } from './model.js';

/** The parts of a GitHub App manifest (app.yml) the fake enforces. */
export const AppManifest = z.object({
  name: z.string().optional(),
  default_events: z.array(z.string()).default([]),
  default_permissions: z.record(z.string(), z.enum(['read', 'write', 'admin'])).default({}),
});
export type AppManifest = z.infer<typeof AppManifest>;

/**
 * Reads an app manifest into `createApp()` options, so the fake grants the app
 * exactly the permissions and events it asks for, and a missing permission
 * shows up as GitHub's 403 in tests rather than in production.
 */
export function appOptionsFromManifest(path: string): { permissions: Record<string, AppPermissionLevel>; events: string[] } {
  const parsed = AppManifest.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a GitHub App manifest: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return { permissions: { metadata: 'read', ...parsed.data.default_permissions }, events: parsed.data.default_events };
}
