import { REPO_CONFIG_PATH, type RepoConfig } from '../../config/repo-config/schema.js';
import { RepoRef, maxRisk, type Risk } from '../../domain/action.js';
import { PitcrewError } from '../../domain/errors.js';
import { Plan, planHash } from '../../domain/plan.js';
import { evaluatePolicy, type Policy } from '../../domain/policy.js';
import type { GitopsPatch } from '../../gitops/patch.js';
import { isPlanPath, planFilePath } from '../../gitops/plan-file.js';
import { CODEOWNERS_PATHS } from '../gate/codeowners.js';
import type { ProposeRequest } from '../ports/forge.js';
import { proposalToken } from './branch.js';

/**
 * Checks a proposal before anything is written: a valid plan, a key, patches
 * only to the PR's own repository and never to files that steer pitcrew
 * itself, and a plan both policies allow. Computes the risk the gate will use.
 */
export interface PreparedProposal {
  repo: string;
  key: string;
  plan: Plan;
  hash: string;
  risk: Risk;
  planPath: string;
  patches: GitopsPatch[];
}

/** Paths a fix PR never changes: the gate's own configuration, plan files, and workflows (the app has no workflows permission). */
export function forbiddenPatchPath(path: string): string | null {
  if (path === REPO_CONFIG_PATH || (CODEOWNERS_PATHS as readonly string[]).includes(path)) return 'it configures the approval gate; change it in a PR of its own';
  if (isPlanPath(path)) return 'plan files are written by pitcrew only';
  if (path.startsWith('.github/workflows/')) return 'GitHub refuses workflow changes from apps without the workflows permission, which pitcrew does not ask for';
  return null;
}

export function prepareProposal(request: ProposeRequest, policy: Policy, repoConfig: RepoConfig | null): PreparedProposal {
  const repo = RepoRef.safeParse(request.repo);
  if (!repo.success) throw new PitcrewError('propose_invalid', `Cannot propose to "${request.repo}": the repository must be "owner/name"`, 'Pass the repository the fix PR belongs in.');
  const parsed = Plan.safeParse(request.plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PitcrewError('propose_invalid', `Cannot propose plan: ${issue.path.map(String).join('.') || 'plan'} ${issue.message}`, 'Proposals take plans produced by the planner.');
  }
  const plan = parsed.data;
  const key = request.key ?? plan.incidentId;
  if (!key) throw new PitcrewError('propose_invalid', `Cannot propose plan ${plan.id}: it has no incidentId and no key was given`, 'Attach the plan to an incident, or pass a key that identifies the proposal.');
  if (plan.actions.length === 0) throw new PitcrewError('propose_rejected', `Plan ${plan.id} holds no actions; a fix PR would change nothing`, 'Post plans of human steps to the chat thread instead.');

  const patches: GitopsPatch[] = [];
  for (const [index, action] of plan.actions.entries()) {
    if (action.kind !== 'gitops.patch') continue;
    const target = action.repo ?? repo.data;
    if (target.toLowerCase() !== repo.data.toLowerCase()) {
      throw new PitcrewError('propose_rejected', `Action ${index + 1} patches ${target}:${action.path}, but the fix PR is in ${repo.data}`, 'Split the plan: one fix PR per repository it patches.');
    }
    const forbidden = forbiddenPatchPath(action.path);
    if (forbidden) throw new PitcrewError('propose_rejected', `Action ${index + 1} patches ${action.path}, which a fix PR may not change: ${forbidden}`, 'Remove the action from the plan, or make the change by hand.');
    patches.push(action);
  }

  const verdicts = [{ source: 'the operator policy', verdict: evaluatePolicy(plan.actions, policy, plan.signal) }];
  if (repoConfig?.policy) verdicts.push({ source: `${REPO_CONFIG_PATH} in ${repo.data}`, verdict: evaluatePolicy(plan.actions, repoConfig.policy, plan.signal) });
  for (const { source, verdict } of verdicts) {
    if (!verdict.allowed) throw new PitcrewError('propose_rejected', `Plan ${plan.id} is not allowed by ${source}: ${verdict.reasons.join('; ')}`, 'Change the plan or the policy; nothing was proposed.');
  }
  const risk = verdicts.reduce<Risk>((acc, { verdict }) => maxRisk(acc, verdict.risk), plan.risk);
  return { repo: repo.data, key, plan, hash: planHash(plan), risk, planPath: planFilePath(plan.id), patches };
}

/** The commit message of a proposal; its trailers mark the commit as pitcrew's and pin the plan. */
export function proposalCommitMessage(prepared: PreparedProposal, proposedBy?: string): string {
  const summary = prepared.plan.summary.replace(/\s+/g, ' ').trim();
  const subject = `pitcrew: ${summary.length > 60 ? `${summary.slice(0, 59)}…` : summary}`;
  const files = [prepared.planPath, ...new Set(prepared.patches.map((p) => p.path))];
  return [
    subject,
    '',
    `Plan ${prepared.plan.id} (${prepared.risk} risk)${prepared.plan.incidentId ? ` for incident ${prepared.plan.incidentId}` : ''}.`,
    `Changes ${files.join(', ')}.`,
    '',
    `Pitcrew-Proposal: ${proposalToken(prepared.key)}`,
    `Pitcrew-Plan: ${prepared.plan.id}@${prepared.hash}`,
    ...(proposedBy ? [`Pitcrew-Proposed-By: ${proposedBy.replace(/[^A-Za-z0-9-]/g, '')}`] : []),
  ].join('\n');
}

/** Whether a commit is one pitcrew wrote for this key, and the plan it pins. */
export function readProposalTrailers(message: string, key: string): { ours: boolean; plan: string | null } {
  const token = proposalToken(key);
  const ours = new RegExp(`^Pitcrew-Proposal: ${token.replace(/\./g, '\\.')}$`, 'm').test(message);
  const plan = /^Pitcrew-Plan: (\S+)$/m.exec(message)?.[1] ?? null;
  return { ours, plan };
}
