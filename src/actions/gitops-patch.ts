import type { Connector } from '../pipeline/execute/ports.js';

/**
 * `gitops.patch`: the file change was the PR itself, so merging it was the
 * change. Its outcome is that the merge was observed: the plan was read from
 * that merge commit. (Whatever deploys from git, e.g. Argo CD or Flux, takes it from there.)
 */
export function gitopsPatchConnector(): Connector<'gitops.patch'> {
  const observed = (path: string, repo: string, sha: string) => `merged in ${sha.slice(0, 7)} (${path}${repo ? ` in ${repo}` : ''})`;
  return {
    kind: 'gitops.patch',
    run: async (action, context) => ({ outcome: 'succeeded', detail: observed(action.path, action.repo ?? context.repo, context.mergeSha) }),
    status: async (action, context) => ({ state: 'applied', outcome: { outcome: 'succeeded', detail: observed(action.path, action.repo ?? context.repo, context.mergeSha) } }),
  };
}
