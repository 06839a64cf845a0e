import { REPO_CONFIG_PATH, approversFor, splitApprovers, type ApproverSet, type RepoConfig } from '../../config/repo-config/schema.js';
import { maxRisk, type Risk } from '../../domain/action.js';
import type { Plan } from '../../domain/plan.js';
import { evaluatePolicy, type Policy } from '../../domain/policy.js';
import { readPlanFile } from '../../gitops/plan-file.js';
import { BRANCH_PREFIX } from '../propose/branch.js';
import { CODEOWNERS_PATHS, ownersOf, parseCodeowners } from './codeowners.js';
import type { GateFacts, GateResult } from './facts.js';
import { memberOf, tallyReviews, type Tally } from './reviews.js';
import { summarize } from './summary.js';

/**
 * The approval gate, as a pure function of what was read from the forge.
 *
 *  1. The PR carries exactly one plan file, which parses, validates and still
 *     matches its recorded hash (the hash is pinned in the verdict).
 *  2. It targets the default branch, is not a draft, and does not change the
 *     gate's own configuration (.github/pitcrew.yml, CODEOWNERS).
 *  3. The repository config on the default branch is present and valid.
 *  4. The plan passes the operator's policy and the repository's; the risk is
 *     recomputed (never taken lower than the plan says).
 *  5. Enough approvals on the head SHA from allowed approvers for that risk;
 *     bots, the author, the proposer and commit authors never count; no
 *     allowed approver or code owner has changes requested.
 *  6. With `codeowners: true`, every changed file that has owners has an
 *     approval on the head from one of them.
 *
 * A PR without a plan passes (it runs nothing), so branch protection can
 * require `pitcrew/gate` on every PR.
 */
export interface GateOptions {
  /** The operator's policy (PITCREW_POLICY_FILE). */
  policy: Policy;
}

const PROTECTED_PATHS = [REPO_CONFIG_PATH, ...CODEOWNERS_PATHS];

export function evaluateGate(facts: GateFacts, options: GateOptions): GateResult {
  const result: GateResult = {
    pass: false, repo: facts.repo, number: facts.number, sha: facts.headSha, plan: null, risk: null, required: null,
    approvals: [], ignored: [], uncoveredCodeowners: [], reasons: [], summary: '',
  };
  const fail = (reason: string) => {
    result.reasons.push(reason);
    return finish(result, facts);
  };

  if (facts.state === 'closed' && !facts.merged) return fail('the PR is closed without merging');
  if (facts.planFiles.length === 0) {
    // A pitcrew branch without its plan is not "a PR without a plan": someone removed the plan.
    if (facts.headRef.startsWith(BRANCH_PREFIX)) return fail(`the PR's branch ${facts.headRef} is a pitcrew fix branch but carries no plan file; ask pitcrew to propose again`);
    result.pass = true;
    return finish(result, facts);
  }
  if (facts.planFiles.length > 1) return fail(`the PR carries ${facts.planFiles.length} plan files (${facts.planFiles.map((f) => f.path).join(', ')}); it may carry exactly one`);
  const file = facts.planFiles[0]!;
  const read = readPlanFile(file.path, file.content);
  if (!read.ok) return fail(read.problem);
  result.plan = { id: read.plan.id, hash: read.hash, path: file.path };

  if (facts.baseRef !== facts.defaultBranch) return fail(`the PR targets ${facts.baseRef}; plans run only from the default branch ${facts.defaultBranch}`);
  if (facts.draft) return fail('the PR is a draft; mark it ready for review');
  const touched = facts.files.flatMap((f) => [f.path, f.previousPath]).filter((p): p is string => p !== undefined && PROTECTED_PATHS.includes(p));
  if (touched.length > 0) return fail(`the PR changes ${[...new Set(touched)].join(' and ')}; change the gate's configuration in a separate PR without a plan`);

  if (facts.config.status === 'missing') return fail(`${REPO_CONFIG_PATH} is missing on ${facts.defaultBranch}; add it and name the approvers`);
  if (facts.config.status === 'invalid') {
    const first = facts.config.problems[0];
    return fail(`${REPO_CONFIG_PATH} on ${facts.defaultBranch} is invalid${first ? ` (line ${first.line}: ${first.key ? `${first.key} ` : ''}${first.message})` : ''}; see the pitcrew/config check`);
  }
  const config = facts.config.config;

  const risk = judgeRisk(read.plan, config, options.policy, result);
  if (risk === null) return finish(result, facts);
  result.risk = risk;
  result.required = config.requiredApprovals[risk];
  const approverRefs = approversFor(config, risk);
  if (approverRefs.length === 0) return fail(`${REPO_CONFIG_PATH} names no approvers for ${risk} risk (nor for any lower risk)`);
  const approvers = splitApprovers(approverRefs);

  const tally = tallyReviews(facts, approvers);
  result.approvals = tally.counted;
  result.ignored = tally.ignored;
  const owners = config.codeowners && facts.codeowners ? parseCodeowners(facts.codeowners.text) : [];
  const blocking = tally.changesRequested.filter((login) => memberOf(login, approvers, facts.teams) || owners.some((rule) => rule.owners.includes(login.toLowerCase())));
  if (blocking.length > 0) result.reasons.push(`changes requested by ${blocking.join(', ')}`);
  let shortfallIndex = -1;
  if (tally.counted.length < result.required) shortfallIndex = result.reasons.push(shortfall(result.required, risk, approverRefs, tally, facts) + teamProblems(approvers, facts)) - 1;
  if (owners.length > 0) {
    result.uncoveredCodeowners = uncovered(facts, owners, tally);
    if (result.uncoveredCodeowners.length > 0) {
      const first = result.uncoveredCodeowners[0]!;
      const more = result.uncoveredCodeowners.length - 1;
      result.reasons.push(`needs a code owner's approval for ${first.path} (${first.owners.map((o) => `@${o}`).join(' or ')})${more > 0 ? ` and ${more} more file(s)` : ''}`);
    }
  }
  result.pass = result.reasons.length === 0;
  return finish(result, facts, shortfallIndex);
}

/** The plan's risk after both policies; null (with reasons) when a policy rejects it. */
function judgeRisk(plan: Plan, config: RepoConfig, policy: Policy, result: GateResult): Risk | null {
  const verdicts = [{ name: 'the operator policy', verdict: evaluatePolicy(plan.actions, policy, plan.signal) }];
  if (config.policy) verdicts.push({ name: `the policy in ${REPO_CONFIG_PATH}`, verdict: evaluatePolicy(plan.actions, config.policy, plan.signal) });
  for (const { name, verdict } of verdicts) {
    if (!verdict.allowed) result.reasons.push(`${name} rejects the plan: ${verdict.reasons[0]}${verdict.reasons.length > 1 ? ` (and ${verdict.reasons.length - 1} more)` : ''}`);
  }
  if (result.reasons.length > 0) return null;
  return verdicts.reduce<Risk>((risk, { verdict }) => maxRisk(risk, verdict.risk), plan.risk);
}

function shortfall(required: number, risk: Risk, approverRefs: string[], tally: Tally, facts: GateFacts): string {
  const have = tally.counted.map((a) => a.login);
  const who = approverRefs.map((ref) => (ref.startsWith('@') ? ref : `@${ref}`)).join(', ');
  const notes = tally.ignored.map((i) => `${i.login} ${describeIgnored(i.reason, i.sha)}`);
  return `needs ${required} approval${required === 1 ? '' : 's'} (${risk} risk) from ${who} on ${facts.headSha.slice(0, 7)}; has ${have.length}${have.length > 0 ? ` (${have.join(', ')})` : ''}${notes.length > 0 ? `; not counted: ${notes.join(', ')}` : ''}`;
}

export function describeIgnored(reason: string, sha: string | null): string {
  switch (reason) {
    case 'bot': return 'is a bot';
    case 'author': return 'is the PR author';
    case 'proposer': return 'proposed the plan';
    case 'contributor': return 'authored a commit on the PR';
    case 'stale': return `approved an older commit${sha ? ` (${sha.slice(0, 7)})` : ''}`;
    default: return 'is not an approver';
  }
}

/** Teams whose members could not be read: their members' approvals cannot count, so say why. */
function teamProblems(approvers: ApproverSet, facts: GateFacts): string {
  const problems = [...approvers.teams].flatMap((team) => {
    const entry = facts.teams[team];
    return entry && 'error' in entry ? [`cannot read the members of @${team} (${entry.error})`] : [];
  });
  return problems.length > 0 ? `; ${problems.join('; ')}` : '';
}

function uncovered(facts: GateFacts, rules: ReturnType<typeof parseCodeowners>, tally: Tally): Array<{ path: string; owners: string[] }> {
  const missing: Array<{ path: string; owners: string[] }> = [];
  const paths = new Set(facts.files.flatMap((f) => [f.path, f.previousPath]).filter((p): p is string => p !== undefined));
  for (const path of paths) {
    const owned = ownersOf(path, rules);
    if (!owned || owned.owners.length === 0) continue;
    const set = splitApprovers(owned.owners);
    if (!tally.eligible.some((approval) => memberOf(approval.login, set, facts.teams))) missing.push({ path, owners: owned.owners });
  }
  return missing;
}

function finish(result: GateResult, facts: GateFacts, shortfallIndex = -1): GateResult {
  result.pass = result.reasons.length === 0 && result.pass;
  result.summary = summarize(result, facts, shortfallIndex);
  return result;
}
