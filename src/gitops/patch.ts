import type { GitopsPatchAction } from '../domain/action.js';
import { PitcrewError } from '../domain/errors.js';
import type { z } from 'zod/v4';
import { applyUnifiedDiff } from './apply-diff.js';
import { setJsonPaths } from './set-json.js';
import { setYamlPaths } from './set-yaml.js';

export type GitopsPatch = z.infer<typeof GitopsPatchAction>;

/**
 * The gitops.patch engine: pure, content in, content out. The PR proposer
 * reads the file at the base SHA, calls this, and commits the result.
 */
export function applyGitopsPatch(content: string, action: GitopsPatch): string {
  if (action.diff !== undefined) return applyUnifiedDiff(content, action.diff, action.path);
  const operations = action.set ?? [];
  if (/\.ya?ml$/i.test(action.path)) return setYamlPaths(content, operations, action.path);
  if (/\.json$/i.test(action.path)) return setJsonPaths(content, operations, action.path);
  throw new PitcrewError('patch_invalid', `Cannot set paths in ${action.path}: only .yaml, .yml and .json files have paths`, 'Use a unified diff ("diff") for other file types.');
}
