import { z } from 'zod/v4';
import { firstInvisible } from './text-safety.js';

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

/** Prose shown to humans: no control, bidi or zero-width characters (they disguise text). */
export const PlainText = z.string().refine((text) => firstInvisible(text) === undefined, {
  error: (issue) => `contains an invisible or control character (${firstInvisible(String(issue.input))}); remove it`,
});

/** "owner/name" */
export const RepoRef = z.string().max(140).regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must be "owner/name"' })
  .refine((repo) => !repo.split('/').some((part) => part === '.' || part === '..'), { error: 'must be "owner/name"' });

/** A repository-relative path: no absolute paths, no `.`/`..`/empty segments, no `.git`, no backslashes or controls. */
export const RepoPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => {
    if (path.startsWith('/') || path.includes('\\') || firstInvisible(path) !== undefined) return false;
    return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && segment.toLowerCase() !== '.git');
  }, { error: 'must be a relative path inside the repository (no leading /, no . or .. segments, no .git, no backslashes)' });

const K8sName = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a Kubernetes object name (lowercase letters, digits, - and .)' });
const K8sNamespace = z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a Kubernetes namespace name (lowercase letters, digits and -)' });
/** A kubeconfig context name. */
const ClusterName = z.string().max(253).regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, { error: 'must be a kubeconfig context name (letters, digits, . _ : @ -)' });

/** A git branch or tag name, conservatively: no `..`, no leading `-`, no spaces or controls. */
const GitRef = z.string().min(1).max(255).regex(/^[A-Za-z0-9._/-]+$/, { error: 'must be a branch or tag name' })
  .refine((ref) => !ref.startsWith('-') && !ref.includes('..') && !ref.includes('//') && !ref.endsWith('.lock') && !ref.endsWith('/'), { error: 'must be a branch or tag name' });

/**
 * An http(s) URL with no credentials, no backslashes, no whitespace, no encoded
 * slashes and no `..` segments (raw or percent-encoded): URL normalisation would otherwise
 * move a request outside the allowlisted base path.
 */
export const HttpUrl = z.string().max(2048).refine((raw) => {
  if (/[\\\s]/.test(raw) || /%(2f|5c|00)/i.test(raw) || firstInvisible(raw) !== undefined) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  const rawPath = raw.replace(/^[a-z]+:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  return !rawPath.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}, { error: 'must be an http(s) URL without credentials, backslashes, whitespace or . / .. path segments' });

/** JSON-representable values only (what a file patch or request body may carry). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]));

/**
 * A path into a YAML/JSON document: dot segments and bracket segments,
 * e.g. `spec.replicas`, `spec.template.spec.containers[0].image`,
 * `metadata.labels["app.kubernetes.io/name"]`, `containers[name=api].image`.
 */
export const DocumentPath = z.string().min(1).max(500).regex(
  /^(?:[A-Za-z_$][\w$-]*|\[(?:\d+|"[^"\\]*"|[A-Za-z_][\w-]*=[\w.:/-]+)\])(?:\.[A-Za-z_$][\w$-]*|\[(?:\d+|"[^"\\]*"|[A-Za-z_][\w-]*=[\w.:/-]+)\])*$/,
  { error: 'must be a document path such as spec.replicas, items[0].name, labels["app.kubernetes.io/name"] or containers[name=api].image' },
);

const Common = {
  /** Short human title shown in Slack and the PR. */
  title: PlainText.max(200).optional(),
  /** A runbook may declare a higher risk than the kind's default; never lower. */
  risk: Risk.optional(),
};

export const GitopsPatchAction = z
  .strictObject({
    kind: z.literal('gitops.patch'),
    repo: RepoRef.optional(),
    path: RepoPath,
    /** Set values at YAML/JSON paths (dot or bracket notation), keeping comments and formatting. */
    set: z.array(z.strictObject({
      path: DocumentPath,
      value: JsonValue,
      /** Which document of a multi-document YAML file (0-based); default 0. */
      document: z.number().int().min(0).max(100).optional(),
    })).min(1).max(50).optional(),
    /** Or: a unified diff against the file. */
    diff: z.string().min(1).max(200_000).optional(),
    ...Common,
  })
  .refine((a) => (a.set === undefined) !== (a.diff === undefined), { error: 'gitops.patch needs exactly one of "set" or "diff"' });

export const WorkflowDispatchAction = z.strictObject({
  kind: z.literal('github.workflow_dispatch'),
  repo: RepoRef.optional(),
  /** Workflow file name (e.g. remediate.yml) or numeric id. */
  workflow: z.string().max(255).regex(/^(?:[A-Za-z0-9_.-]+\.ya?ml|\d+)$/, { error: 'must be a workflow file name (remediate.yml) or a numeric id' }),
  ref: GitRef.default('main'),
  inputs: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { error: 'input names are letters, digits, _ and -' }),
    PlainText.max(1000),
  ).refine((inputs) => Object.keys(inputs).length <= 25, { error: 'GitHub accepts at most 25 workflow inputs' }).default({}),
  ...Common,
});

export const RerunFailedJobsAction = z.strictObject({
  kind: z.literal('github.rerun_failed_jobs'),
  repo: RepoRef.optional(),
  runId: z.coerce.number().int().positive(),
  ...Common,
});

export const HttpRequestAction = z.strictObject({
  kind: z.literal('http.request'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** Must start with a base URL on the policy's allowlist; requests are HMAC-signed. */
  url: HttpUrl,
  body: JsonValue.optional(),
  ...Common,
});

export const RolloutRestartAction = z.strictObject({
  kind: z.literal('kubernetes.rollout_restart'),
  /** kubeconfig context; default context when absent. */
  cluster: ClusterName.optional(),
  namespace: K8sNamespace,
  resource: z.enum(['deployment', 'statefulset', 'daemonset']).default('deployment'),
  name: K8sName,
  ...Common,
});

export const ScaleAction = z.strictObject({
  kind: z.literal('kubernetes.scale'),
  cluster: ClusterName.optional(),
  namespace: K8sNamespace,
  resource: z.enum(['deployment', 'statefulset']).default('deployment'),
  name: K8sName,
  replicas: z.coerce.number().int().min(0).max(1000),
  ...Common,
});

export const NotifyAction = z.strictObject({
  kind: z.literal('notify'),
  /** A human step. It has no effect; it is shown and tracked. */
  message: PlainText.min(1).max(4000),
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
