/**
 * Fix-PR branches: `pitcrew/<key>-<slug>`. The key (the incident id) is what
 * makes proposing idempotent: a later proposal for the same incident finds
 * the branch by its `pitcrew/<key>-` prefix and updates its PR. The key is
 * reduced to letters, digits, `_` and `.`, so the first `-` ends it and no
 * key is a prefix of another's branch.
 */
export const BRANCH_PREFIX = 'pitcrew/';

export function proposalToken(key: string): string {
  const token = key.normalize('NFKC').replace(/[^A-Za-z0-9_.]/g, '_').replace(/\.{2,}/g, '_').replace(/^[._]+|\.+$/g, '').slice(0, 60);
  return token || 'proposal';
}

/** `HighErrorRate on checkout-api!` → `high-error-rate-on-checkout-api`. */
export function slugify(text: string, max = 40): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > max) break;
    slug = next;
  }
  return slug || words[0]?.slice(0, max) || 'fix';
}

export function proposalBranch(key: string, title: string): string {
  return `${BRANCH_PREFIX}${proposalToken(key)}-${slugify(title)}`;
}

/** The ref prefix (for `git/matching-refs`) every branch of this key starts with. */
export function proposalRefPrefix(key: string): string {
  return `heads/${BRANCH_PREFIX}${proposalToken(key)}-`;
}

export function isBranchOf(branch: string, key: string): boolean {
  return branch.startsWith(`${BRANCH_PREFIX}${proposalToken(key)}-`);
}
