import { parseRepoConfig } from '../../config/repo-config/parse.js';
import { REPO_CONFIG_PATH } from '../../config/repo-config/schema.js';
import type { RepoConfigRead } from '../../pipeline/gate/facts.js';
import { CODEOWNERS_PATHS } from '../../pipeline/gate/codeowners.js';
import type { RepoClient } from './repo-client.js';

/**
 * Reads `.github/pitcrew.yml` at a commit. The raw text is read (the same
 * request Probot's config loader makes) rather than the loader's parsed
 * object, because a broken file must be reported with its line numbers.
 * Org-level defaults (`owner/.github`) and `_extends` are deliberately not
 * followed: the gate's rules live in the repository they govern.
 */
export async function readRepoConfig(client: RepoClient, sha: string): Promise<RepoConfigRead> {
  const text = await client.readText(REPO_CONFIG_PATH, sha);
  if (text === null) return { status: 'missing', path: REPO_CONFIG_PATH, ref: sha };
  const parsed = parseRepoConfig(text);
  return parsed.ok
    ? { status: 'ok', config: parsed.config, path: REPO_CONFIG_PATH, ref: sha }
    : { status: 'invalid', problems: parsed.problems, path: REPO_CONFIG_PATH, ref: sha };
}

/** The first CODEOWNERS GitHub would use (.github/, root, docs/), or null. */
export async function readCodeowners(client: RepoClient, sha: string): Promise<{ path: string; text: string } | null> {
  for (const path of CODEOWNERS_PATHS) {
    const text = await client.readText(path, sha);
    if (text !== null) return { path, text };
  }
  return null;
}
