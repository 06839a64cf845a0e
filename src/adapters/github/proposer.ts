import { approversFor } from '../../config/repo-config/schema.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { PitcrewError } from '../../domain/errors.js';
import { Plan } from '../../domain/plan.js';
import type { Policy } from '../../domain/policy.js';
import { applyGitopsPatch } from '../../gitops/patch.js';
import { renderPlanFile } from '../../gitops/plan-file.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { isBranchOf, proposalBranch, proposalRefPrefix, proposalToken } from '../../pipeline/propose/branch.js';
import { prepareProposal, proposalCommitMessage, readProposalTrailers, type PreparedProposal } from '../../pipeline/propose/prepare.js';
import type { ProposeOutcome, ProposeRequest } from '../../pipeline/ports/forge.js';
import { prTitle, renderPrBody } from './pr-body.js';
import { readRepoConfig } from './repo-config-reader.js';
import type { RepoClient, TreeWrite } from './repo-client.js';

/**
 * Opens or updates the fix PR for a plan, through the git data API:
 *
 *  1. check the proposal (plan, key, patch targets, both policies);
 *  2. find the key's branch (`pitcrew/<key>-…`) and its open PR, if any;
 *  3. leave a branch alone when its head is not pitcrew's commit (a human took it over);
 *  4. apply the patches to the files at the base head; add the plan file;
 *  5. one commit on the base head, the branch created or moved to it;
 *  6. the PR opened or its title and body updated; labels `pitcrew` and `risk:<risk>`.
 *
 * The same plan proposed again changes nothing; a new plan for the same key
 * replaces the branch's commit (which makes earlier approvals stale).
 */
export interface ProposerDeps {
  policy: Policy;
  redactor: Redactor;
  log: Logger;
  dryRun: boolean;
}

export const PITCREW_LABEL = 'pitcrew';
const RISK_LABELS = ['risk:low', 'risk:medium', 'risk:high'];

export async function proposeFix(client: RepoClient, request: ProposeRequest, deps: ProposerDeps): Promise<ProposeOutcome> {
  const plan = await redactedPlan(request.plan, deps);
  const info = await client.info();
  const baseSha = await client.branchSha(info.defaultBranch);
  if (!baseSha) throw new PitcrewError('forge_unavailable', `${client.fullName} has no ${info.defaultBranch} branch to propose against`, 'Push a first commit to the default branch.');
  const config = await readRepoConfig(client, baseSha);
  const prepared = prepareProposal({ ...request, plan }, deps.policy, config.status === 'ok' ? config.config : null);
  const base = await client.commit(baseSha);

  const existing = (await client.matchingBranches(proposalRefPrefix(prepared.key))).find((ref) => isBranchOf(ref.branch, prepared.key));
  const branch = existing?.branch ?? proposalBranch(prepared.key, [plan.signal.alertname, plan.signal.service].filter(Boolean).join(' ') || plan.summary);
  const openPull = existing ? (await client.pullsForBranch(branch))[0] : undefined;
  let headSha = existing?.sha ?? null;
  let unchanged = false;
  if (existing) {
    const head = await client.commit(existing.sha);
    const trailers = readProposalTrailers(head.message, prepared.key);
    if (!trailers.ours) {
      deps.log.warn({ repo: client.fullName, branch, pull: openPull?.number }, 'fix branch has commits pitcrew did not write; leaving it alone');
      return { status: 'blocked', number: openPull?.number ?? null, branch, reason: `${branch} has commits pitcrew did not write (head ${existing.sha.slice(0, 7)}); pitcrew will not overwrite them. Close the PR and delete the branch to let pitcrew propose again.` };
    }
    unchanged = trailers.plan === `${plan.id}@${prepared.hash}`;
  }

  const files = unchanged ? [] : await changedFiles(client, base.tree, prepared);
  const title = prTitle(plan);
  const body = renderPrBody({
    plan, planHash: prepared.hash, planPath: prepared.planPath, risk: prepared.risk, ...(plan.incidentId ? { incidentId: plan.incidentId } : {}),
    links: await deps.redactor.redactDeep(request.links ?? {}),
    ...(config.status === 'ok' ? { approval: { required: config.config.requiredApprovals[prepared.risk], approvers: approversFor(config.config, prepared.risk) } } : {}),
    marker: `<!-- pitcrew:proposal key=${proposalToken(prepared.key)} plan=${plan.id} -->`,
  });

  if (deps.dryRun) {
    const verb = openPull ? `update PR #${openPull.number}` : 'open PR';
    deps.log.info({ repo: client.fullName, branch, plan: plan.id, risk: prepared.risk, files: files.map((f) => f.path) }, `[dry-run] would ${verb} "${title}" on ${branch} in ${client.fullName}`);
    return { status: 'dry_run', branch, planHash: prepared.hash, risk: prepared.risk, files: files.map((f) => f.path), existing: openPull?.number ?? null };
  }

  if (!unchanged) {
    const tree = await client.createTree(base.tree, files);
    headSha = await client.createCommit({ message: proposalCommitMessage(prepared, request.proposedBy), tree, parents: [baseSha] });
    if (existing) await client.moveBranch(branch, headSha, true);
    else await client.createBranch(branch, headSha);
  }

  let pull: { number: number; html_url: string; labels: Array<{ name: string }>; head: { sha: string } };
  let status: 'opened' | 'updated' | 'unchanged' = unchanged ? 'unchanged' : 'updated';
  if (!openPull) {
    pull = await client.createPull({ title, head: branch, base: info.defaultBranch, body });
    status = 'opened';
  } else {
    pull = openPull;
    if (openPull.title !== title || (openPull.body ?? '') !== body) {
      await client.updatePull(openPull.number, { title, body });
      if (status === 'unchanged') status = 'updated';
    }
  }
  await syncLabels(client, pull.number, pull.labels.map((l) => l.name), prepared.risk);
  deps.log.info({ repo: client.fullName, pull: pull.number, branch, plan: plan.id, risk: prepared.risk, status }, `fix PR ${status}`);
  return { status, number: pull.number, url: pull.html_url, branch, headSha: headSha ?? pull.head.sha, planHash: prepared.hash, risk: prepared.risk };
}

/** Redacts the plan again (defence in depth); a plan that loses validity to redaction is refused. */
async function redactedPlan(input: Plan, deps: ProposerDeps): Promise<Plan> {
  const plan = Plan.parse(input);
  const redacted = await deps.redactor.redactDeep(plan);
  if (canonicalJson(redacted) === canonicalJson(plan)) return plan;
  const valid = Plan.safeParse(redacted);
  if (!valid.success) throw new PitcrewError('propose_rejected', `Plan ${plan.id} holds text that looks like a secret where it cannot be redacted (${valid.error.issues[0]!.path.map(String).join('.')})`, 'Nothing was proposed. Check the runbook template or the signal that produced this value.');
  deps.log.warn({ plan: plan.id }, 'plan held secret-looking text; proposing the redacted plan');
  return valid.data;
}

async function changedFiles(client: RepoClient, baseTree: string, prepared: PreparedProposal): Promise<Array<TreeWrite & { content: string }>> {
  const contents = new Map<string, { content: string; mode: '100644' | '100755' }>();
  for (const patch of prepared.patches) {
    let current = contents.get(patch.path);
    if (!current) {
      const entry = await client.entryAt(baseTree, patch.path);
      if (!entry || entry.type !== 'blob') throw new PitcrewError('patch_path_missing', `${patch.path} does not exist on the default branch of ${client.fullName}`, 'gitops.patch edits existing files; check the path in the runbook or plan.');
      current = { content: await client.blobText(entry.sha), mode: entry.mode === '100755' ? '100755' : '100644' };
    }
    contents.set(patch.path, { ...current, content: applyGitopsPatch(current.content, patch) });
  }
  return [
    { path: prepared.planPath, mode: '100644', type: 'blob', content: renderPlanFile(prepared.plan) },
    ...[...contents].map(([path, file]) => ({ path, mode: file.mode, type: 'blob' as const, content: file.content })),
  ];
}

async function syncLabels(client: RepoClient, number: number, current: string[], risk: string): Promise<void> {
  const wanted = [PITCREW_LABEL, `risk:${risk}`];
  const missing = wanted.filter((label) => !current.includes(label));
  if (missing.length > 0) await client.addLabels(number, missing);
  for (const stale of current.filter((label) => RISK_LABELS.includes(label) && !wanted.includes(label))) await client.removeLabel(number, stale);
}
