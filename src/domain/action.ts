import { z } from 'zod/v4';

/**
 * The allowlist of actions a Plan may hold. Anything not expressible here
 * cannot be planned, proposed or executed (invariants I1, I3): the LLM's
 * output and runbook templates are both validated against these schemas.
 */
export const Risk = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof Risk>;

const RISK_ORDER: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

/** The higher of two risks. Policy may only raise risk, never lower it. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return RISK_ORDER[a] >= RISK_ORDER[b] ? a : b;
}

export function riskAtLeast(risk: Risk, floor: Risk): boolean {
  return RISK_ORDER[risk] >= RISK_ORDER[floor];
}

/** "owner/name" */
export const RepoRef = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must be "owner/name"' });

/** A repository-relative path: no absolute paths, no `..` segments. */
export const RepoPath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split('/').includes('..') && !path.includes('\0'), { error: 'must be a relative path inside the repository' });

const K8sName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a Kubernetes object name' }).max(253);

const Common = {
  /** Short human title shown in Slack and the PR. */
  title: z.string().max(200).optional(),
  /** A runbook may declare a higher risk than the kind's default; never lower. */
  risk: Risk.optional(),
};

export const GitopsPatchAction = z
  .object({
    kind: z.literal('gitops.patch'),
    repo: RepoRef.optional(),
    path: RepoPath,
    /** Set values at YAML/JSON paths (dot or bracket notation), keeping comments and formatting. */
    set: z.array(z.object({ path: z.string().min(1), value: z.unknown() })).min(1).optional(),
    /** Or: a unified diff against the file. */
    diff: z.string().min(1).optional(),
    ...Common,
  })
  .refine((a) => (a.set === undefined) !== (a.diff === undefined), { error: 'gitops.patch needs exactly one of "set" or "diff"' });

export const WorkflowDispatchAction = z.object({
  kind: z.literal('github.workflow_dispatch'),
  repo: RepoRef.optional(),
  /** Workflow file name (e.g. remediate.yml) or id. */
  workflow: z.string().min(1),
  ref: z.string().min(1).default('main'),
  inputs: z.record(z.string(), z.string()).default({}),
  ...Common,
});

export const RerunFailedJobsAction = z.object({
  kind: z.literal('github.rerun_failed_jobs'),
  repo: RepoRef.optional(),
  runId: z.coerce.number().int().positive(),
  ...Common,
});

export const HttpRequestAction = z.object({
  kind: z.literal('http.request'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** Must start with a base URL on the policy's allowlist; requests are HMAC-signed. */
  url: z.url({ protocol: /^https?$/ }),
  body: z.unknown().optional(),
  ...Common,
});

export const RolloutRestartAction = z.object({
  kind: z.literal('kubernetes.rollout_restart'),
  /** kubeconfig context; default context when absent. */
  cluster: z.string().optional(),
  namespace: K8sName,
  resource: z.enum(['deployment', 'statefulset', 'daemonset']).default('deployment'),
  name: K8sName,
  ...Common,
});

export const ScaleAction = z.object({
  kind: z.literal('kubernetes.scale'),
  cluster: z.string().optional(),
  namespace: K8sName,
  resource: z.enum(['deployment', 'statefulset']).default('deployment'),
  name: K8sName,
  replicas: z.coerce.number().int().min(0).max(1000),
  ...Common,
});

export const NotifyAction = z.object({
  kind: z.literal('notify'),
  /** A human step. It has no effect; it is shown and tracked. */
  message: z.string().min(1).max(2000),
  ...Common,
});

export const Action = z.discriminatedUnion('kind', [
  GitopsPatchAction,
  WorkflowDispatchAction,
  RerunFailedJobsAction,
  HttpRequestAction,
  RolloutRestartAction,
  ScaleAction,
  NotifyAction,
]);
export type Action = z.infer<typeof Action>;
export type ActionKind = Action['kind'];

export const ACTION_KINDS = [
  'gitops.patch',
  'github.workflow_dispatch',
  'github.rerun_failed_jobs',
  'http.request',
  'kubernetes.rollout_restart',
  'kubernetes.scale',
  'notify',
] as const satisfies readonly ActionKind[];
export const ActionKindSchema = z.enum(ACTION_KINDS);

/** Each kind's risk before policy. Policy and runbooks may raise it. */
export const DEFAULT_RISK: Record<ActionKind, Risk> = {
  notify: 'low',
  'github.rerun_failed_jobs': 'low',
  'gitops.patch': 'medium',
  'github.workflow_dispatch': 'medium',
  'kubernetes.rollout_restart': 'medium',
  'http.request': 'medium',
  'kubernetes.scale': 'medium',
};

/** The action's own risk: its kind's default, raised by any declared risk. */
export function actionRisk(action: Action): Risk {
  const base = action.kind === 'kubernetes.scale' && action.replicas === 0 ? 'high' : DEFAULT_RISK[action.kind];
  return action.risk ? maxRisk(base, action.risk) : base;
}

/**
 * A remediation step as written in runbook front matter: a known kind with
 * parameters that may hold `{{placeholders}}`. It becomes an Action only after
 * interpolation from the Signal and validation against `Action`.
 */
export const RemediationStep = z.looseObject({ kind: ActionKindSchema });
export type RemediationStep = z.infer<typeof RemediationStep>;
