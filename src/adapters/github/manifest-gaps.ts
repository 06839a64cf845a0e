import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { APP_MANIFEST } from './setup.js';

/**
 * What a registered GitHub App lacks compared with app.yml: permissions it
 * was not granted (or granted below the level asked) and events it does not
 * subscribe to. An app registered from an older app.yml drifts; `pitcrew
 * doctor` says what to change in the app's settings.
 */
const LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3 };

export interface ManifestGaps {
  permissions: string[];
  events: string[];
}

export function readManifest(path = APP_MANIFEST): { permissions: Record<string, string>; events: string[] } {
  const manifest = parseYaml(readFileSync(path, 'utf8')) as { default_permissions?: Record<string, string>; default_events?: string[] };
  return { permissions: manifest.default_permissions ?? {}, events: manifest.default_events ?? [] };
}

export function manifestGaps(app: { permissions?: Record<string, string | undefined>; events?: string[] }, manifest = readManifest()): ManifestGaps {
  const permissions = Object.entries(manifest.permissions)
    .filter(([scope, level]) => (LEVEL[app.permissions?.[scope] ?? ''] ?? 0) < (LEVEL[level] ?? 0))
    .map(([scope, level]) => `${scope}: ${level}${app.permissions?.[scope] ? ` (has ${app.permissions[scope]})` : ''}`);
  const events = manifest.events.filter((event) => !(app.events ?? []).includes(event));
  return { permissions, events };
}
