import { z } from 'zod/v4';
import { ACTION_KINDS, ActionKindSchema, Risk, RepoRef, actionRisk, maxRisk, type Action } from './action.js';
import { Severity, type Signal } from './signal.js';

/**
 * Policy: which actions a plan may hold and which targets they may touch.
 * Deny by default: an action aimed at a repo, URL, cluster or namespace the
 * policy does not name rejects the whole plan, whoever wrote it (a runbook
 * template or the LLM). Policy can only raise risk, never lower it.
 */

/** `owner/name`, or `owner/*` for every repository of an owner. */
const RepoPattern = z.string().regex(/^[A-Za-z0-9_.-]+\/(\*|[A-Za-z0-9_.-]+)$/, { error: 'must be "owner/name" or "owner/*"' });
/** A namespace name, or a prefix ending in `*` (`team-*`). */
const NamePattern = z.string().regex(/^[a-z0-9][-a-z0-9.]*\*?$|^\*$/, { error: 'must be a name or a prefix ending in *' });

const BaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}, { error: 'must be an http(s) base URL without credentials, query or fragment' });

export const RiskRule = z.strictObject({
  /** The rule applies when every given condition matches. */
  kinds: z.array(ActionKindSchema).optional(),
  repos: z.array(RepoPattern).optional(),
  namespaces: z.array(NamePattern).optional(),
  clusters: z.array(z.string()).optional(),
  severities: z.array(Severity).optional(),
  /** Path prefixes for gitops.patch (`.github/`). */
  paths: z.array(z.string()).optional(),
  raiseTo: Risk,
  reason: z.string().min(1),
});
export type RiskRule = z.infer<typeof RiskRule>;

export const KubernetesTarget = z.strictObject({
  /** kubeconfig context; omit for actions that name no cluster (the default context). */
  cluster: z.string().optional(),
  namespaces: z.array(NamePattern).min(1),
});

export const Policy = z.strictObject({
  /** Action kinds a plan may hold. */
  actions: z.array(ActionKindSchema).default([...ACTION_KINDS]),
  /** Repositories gitops.patch, workflow_dispatch and rerun_failed_jobs may touch. */
  repos: z.array(RepoPattern).default([]),
  /** Repository used by repo-scoped actions that name none. */
  defaultRepo: RepoRef.optional(),
  /** Workflow files workflow_dispatch may run; empty means any in an allowed repo. */
  workflows: z.array(z.string()).default([]),
  /** Base URLs http.request may call (scheme, host, port and path prefix must match). */
  http: z.strictObject({ baseUrls: z.array(BaseUrl).default([]) }).default({ baseUrls: [] }),
  kubernetes: z.strictObject({
    targets: z.array(KubernetesTarget).default([]),
    maxReplicas: z.number().int().min(0).default(50),
  }).default({ targets: [], maxReplicas: 50 }),
  maxActions: z.number().int().min(1).max(20).default(10),
  /** Plans whose risk ends above this are rejected outright. */
  maxRisk: Risk.default('high'),
  riskRules: z.array(RiskRule).default([]),
});
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;

/** Built-in rules that hold whatever the policy file says. */
export const BUILT_IN_RISK_RULES: RiskRule[] = [
  { kinds: ['gitops.patch'], paths: ['.github/'], raiseTo: 'high', reason: 'changes files under .github/ (workflows, CODEOWNERS, pitcrew config)' },
  { kinds: ['kubernetes.scale', 'kubernetes.rollout_restart'], namespaces: ['kube-system', 'kube-public', 'kube-node-lease'], raiseTo: 'high', reason: 'touches a Kubernetes system namespace' },
];

export const RaisedRisk = z.object({ action: z.number().int(), from: Risk, to: Risk, reason: z.string() });
export type RaisedRisk = z.infer<typeof RaisedRisk>;

export const PolicyVerdict = z.object({
  allowed: z.boolean(),
  /** The plan's risk after every rule: the highest action risk, or `low` for no actions. */
  risk: Risk,
  /** Why the plan is rejected; empty when allowed. Each names the action and the target. */
  reasons: z.array(z.string()),
  raised: z.array(RaisedRisk),
  actionRisks: z.array(Risk),
});
export type PolicyVerdict = z.infer<typeof PolicyVerdict>;

export function matchesPattern(value: string, pattern: string, caseInsensitive = false): boolean {
  const v = caseInsensitive ? value.toLowerCase() : value;
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  return p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : v === p;
}

export function repoAllowed(repo: string, policy: Policy): boolean {
  return policy.repos.some((pattern) => matchesPattern(repo, pattern, true));
}

/**
 * True when `url` is under one of the base URLs: same scheme, host and port,
 * and a path equal to the base path or below it at a segment boundary
 * (`https://h/hooks` allows `/hooks/x`, not `/hooksmith`). Hosts compare in
 * their ASCII (punycode) form, so a homoglyph host never matches.
 */
export function urlAllowed(url: string, baseUrls: string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return baseUrls.some((base) => {
    const allowed = new URL(base);
    if (allowed.protocol !== target.protocol || allowed.host !== target.host) return false;
    const prefix = allowed.pathname.replace(/\/+$/, '');
    return prefix === '' || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
  });
}

function namespaceAllowed(cluster: string | undefined, namespace: string, policy: Policy): boolean {
  return policy.kubernetes.targets.some((target) =>
    (target.cluster ?? undefined) === (cluster ?? undefined) && target.namespaces.some((pattern) => matchesPattern(namespace, pattern)));
}

function describeTarget(action: Action): string {
  switch (action.kind) {
    case 'gitops.patch':
      return `${action.repo ?? '(no repo)'}:${action.path}`;
    case 'github.workflow_dispatch':
      return `${action.repo ?? '(no repo)'} workflow ${action.workflow}`;
    case 'github.rerun_failed_jobs':
      return `${action.repo ?? '(no repo)'} run ${action.runId}`;
    case 'http.request':
      return `${action.method} ${action.url}`;
    case 'kubernetes.rollout_restart':
    case 'kubernetes.scale':
      return `${action.cluster ? `${action.cluster}/` : ''}${action.namespace}/${action.resource}/${action.name}`;
    case 'notify':
      return 'a human';
  }
}

function targetProblems(action: Action, policy: Policy): string[] {
  const problems: string[] = [];
  switch (action.kind) {
    case 'gitops.patch':
    case 'github.workflow_dispatch':
    case 'github.rerun_failed_jobs':
      if (!action.repo) problems.push('names no repository and the policy has no defaultRepo');
      else if (!repoAllowed(action.repo, policy)) problems.push(`targets repository ${action.repo}, which is not in the policy's repos (${policy.repos.join(', ') || 'none'})`);
      if (action.kind === 'github.workflow_dispatch' && policy.workflows.length > 0 && !policy.workflows.includes(action.workflow)) {
        problems.push(`runs workflow ${action.workflow}, which is not in the policy's workflows (${policy.workflows.join(', ')})`);
      }
      break;
    case 'http.request':
      if (!urlAllowed(action.url, policy.http.baseUrls)) problems.push(`calls ${action.url}, which is not under the policy's http.baseUrls (${policy.http.baseUrls.join(', ') || 'none'})`);
      break;
    case 'kubernetes.rollout_restart':
    case 'kubernetes.scale':
      if (!namespaceAllowed(action.cluster, action.namespace, policy)) {
        problems.push(`targets namespace ${action.namespace}${action.cluster ? ` in cluster ${action.cluster}` : ' in the default cluster'}, which is not in the policy's kubernetes.targets`);
      }
      if (action.kind === 'kubernetes.scale' && action.replicas > policy.kubernetes.maxReplicas) {
        problems.push(`scales to ${action.replicas} replicas, above the policy's kubernetes.maxReplicas (${policy.kubernetes.maxReplicas})`);
      }
      break;
    case 'notify':
      break;
  }
  return problems;
}

function ruleMatches(rule: RiskRule, action: Action, signal: Pick<Signal, 'severity'> | undefined): boolean {
  if (rule.kinds && !rule.kinds.includes(action.kind)) return false;
  if (rule.severities && (!signal || !rule.severities.includes(signal.severity))) return false;
  if (rule.repos) {
    const repo = 'repo' in action ? action.repo : undefined;
    if (!repo || !rule.repos.some((p) => matchesPattern(repo, p, true))) return false;
  }
  if (rule.namespaces) {
    const namespace = 'namespace' in action ? action.namespace : undefined;
    if (!namespace || !rule.namespaces.some((p) => matchesPattern(namespace, p))) return false;
  }
  if (rule.clusters) {
    const cluster = 'cluster' in action ? action.cluster : undefined;
    if (!cluster || !rule.clusters.includes(cluster)) return false;
  }
  if (rule.paths) {
    if (action.kind !== 'gitops.patch' || !rule.paths.some((prefix) => action.path.startsWith(prefix))) return false;
  }
  return true;
}

/**
 * Judges a list of already schema-valid actions. Rejects on any kind or
 * target outside the policy; raises risk by the built-in rules and the
 * policy's rules; rejects when the result is above `maxRisk`.
 */
export function evaluatePolicy(actions: Action[], policy: Policy, signal?: Pick<Signal, 'severity'>): PolicyVerdict {
  const reasons: string[] = [];
  const raised: RaisedRisk[] = [];
  const actionRisks: Risk[] = [];
  if (actions.length > policy.maxActions) reasons.push(`the plan has ${actions.length} actions, above the policy's maxActions (${policy.maxActions})`);
  const rules = [...BUILT_IN_RISK_RULES, ...policy.riskRules];
  actions.forEach((action, index) => {
    const label = `action ${index + 1} (${action.kind} ${describeTarget(action)})`;
    if (!policy.actions.includes(action.kind)) reasons.push(`${label}: the kind ${action.kind} is not allowed by the policy's actions (${policy.actions.join(', ')})`);
    for (const problem of targetProblems(action, policy)) reasons.push(`${label} ${problem}`);
    let risk = actionRisk(action);
    for (const rule of rules) {
      if (!ruleMatches(rule, action, signal)) continue;
      const next = maxRisk(risk, rule.raiseTo);
      if (next !== risk) raised.push({ action: index, from: risk, to: next, reason: rule.reason });
      risk = next;
    }
    actionRisks.push(risk);
  });
  const risk = actionRisks.reduce<Risk>((acc, r) => maxRisk(acc, r), 'low');
  if (maxRisk(risk, policy.maxRisk) !== policy.maxRisk) reasons.push(`the plan's risk ${risk} is above the policy's maxRisk (${policy.maxRisk})`);
  return { allowed: reasons.length === 0, risk, reasons, raised, actionRisks };
}

/** Fills a missing `repo` on repo-scoped actions from the policy's defaultRepo. */
export function withDefaultRepo(action: Action, policy: Policy): Action {
  if (!('repo' in action) && action.kind !== 'gitops.patch' && action.kind !== 'github.workflow_dispatch' && action.kind !== 'github.rerun_failed_jobs') return action;
  if ((action as { repo?: string }).repo || !policy.defaultRepo) return action;
  return { ...action, repo: policy.defaultRepo } as Action;
}
