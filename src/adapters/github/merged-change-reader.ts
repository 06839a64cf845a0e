import { PitcrewError } from '../../domain/errors.js';
import { planFilePath, readPlanFile } from '../../gitops/plan-file.js';
import type { MergedChange, MergedFile } from '../../pipeline/verify/revert-plan.js';
import type { RepoClient } from './repo-client.js';

/**
 * What a merged plan changed, read from git (invariant I5): the plan file at
 * the merge commit, and each file its gitops.patch actions target at the
 * merge commit and at its first parent (the default branch before the merge).
 */
export async function readMergedChange(client: RepoClient, mergeSha: string, planId: string): Promise<MergedChange> {
  const merge = await client.commit(mergeSha);
  const path = planFilePath(planId);
  const entry = await client.entryAt(merge.tree, path);
  if (!entry || entry.type !== 'blob') throw new PitcrewError('not_found', `${client.fullName}@${mergeSha.slice(0, 7)} holds no ${path}`, 'The merge commit must carry the plan file the PR added.');
  const read = readPlanFile(path, await client.blobText(entry.sha));
  if (!read.ok) throw new PitcrewError('input_invalid', read.problem, 'The plan file in the merge commit is not one pitcrew can read.');
  const parent = merge.parents[0] ? await client.commit(merge.parents[0]) : null;
  const paths = [...new Set(read.plan.actions.flatMap((action) => (action.kind === 'gitops.patch' ? [action.path] : [])))];
  const files: MergedFile[] = [];
  for (const file of paths) {
    files.push({ path: file, before: parent ? await textAt(client, parent.tree, file) : null, after: await textAt(client, merge.tree, file) });
  }
  return { plan: read.plan, planHash: read.hash, files };
}

async function textAt(client: RepoClient, tree: string, path: string): Promise<string | null> {
  const entry = await client.entryAt(tree, path);
  return entry && entry.type === 'blob' ? client.blobText(entry.sha) : null;
}
