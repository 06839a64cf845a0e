import type { RepoConfigInput } from '../../src/config/repo-config/schema.js';
import { RepoConfig } from '../../src/config/repo-config/schema.js';
import type { Plan } from '../../src/domain/plan.js';
import { renderPlanFile, planFilePath } from '../../src/gitops/plan-file.js';
import { planDeterministically } from '../../src/planner/deterministic-planner.js';
import type { GateFacts, Review } from '../../src/pipeline/gate/facts.js';
import { context, policy, runbook } from './planning.js';

/** The operator policy the GitHub tests use: the planning fixtures' policy, plus acme/deploy patches. */
export function githubPolicy() {
  return policy({ repos: ['acme/deploy', 'acme/api'], defaultRepo: 'acme/deploy' });
}

/**
 * An alert-derived plan with actions: HighErrorRate on checkout-api, from a
 * runbook that restarts the deployment and raises replicas in git.
 */
export function alertPlan(overrides: { incidentId?: string; replicas?: number; planId?: string } = {}): Plan {
  const { plan } = planDeterministically({
    planId: overrides.planId ?? 'plan_a1',
    now: Date.UTC(2026, 0, 1, 12),
    policy: githubPolicy(),
    context: context({
      incidentId: overrides.incidentId ?? 'inc_42',
      runbooks: [runbook({
        remediation: [
          { kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: '{{labels.deployment}}' },
          { kind: 'gitops.patch', repo: 'acme/deploy', path: 'k8s/checkout-api.yaml', set: [{ path: 'spec.replicas', value: overrides.replicas ?? 8 }] },
        ],
      })],
    }),
  });
  if (plan.actions.length !== 2) throw new Error(`fixture plan lost its actions: ${plan.notes.join('; ')}`);
  return plan;
}

export const DEPLOYMENT_YAML = `# checkout-api deployment (owned by the payments team)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
  namespace: payments
spec:
  replicas: 6 # raised during incidents
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/checkout-api:1.42.0
`;

export function repoConfig(input: Partial<RepoConfigInput> = {}) {
  return RepoConfig.parse({ approvers: { low: ['alice', 'bob', '@acme/sre'], high: ['@acme/sre-leads'] }, ...input });
}

export const HEAD = 'a'.repeat(40);
export const OLD = 'b'.repeat(40);

let reviewId = 100;
export function review(login: string, state: Review['state'] = 'APPROVED', commitId: string = HEAD, type: 'User' | 'Bot' = 'User'): Review {
  reviewId += 1;
  return { id: reviewId, user: { login, type }, state, commitId, submittedAt: reviewId };
}

/** Facts of an open plan PR on acme/deploy by the pitcrew bot, with no reviews yet. */
export function gateFacts(overrides: Partial<GateFacts> = {}, plan: Plan = alertPlan()): GateFacts {
  return {
    repo: 'acme/deploy',
    number: 7,
    state: 'open',
    merged: false,
    draft: false,
    headSha: HEAD,
    headRef: 'pitcrew/inc_42-high-error-rate-checkout-api',
    baseRef: 'main',
    defaultBranch: 'main',
    htmlUrl: 'https://github.com/acme/deploy',
    author: { login: 'pitcrew[bot]', type: 'Bot' },
    botLogin: 'pitcrew[bot]',
    reviews: [],
    commits: [{ sha: HEAD, authorLogin: 'pitcrew[bot]', committerLogin: 'pitcrew[bot]', message: 'pitcrew: fix\n\nPitcrew-Proposal: inc_42\nPitcrew-Plan: x' }],
    files: [{ path: planFilePath(plan.id), status: 'added' }, { path: 'k8s/checkout-api.yaml', status: 'modified' }],
    planFiles: [{ path: planFilePath(plan.id), content: renderPlanFile(plan) }],
    config: { status: 'ok', config: repoConfig(), path: '.github/pitcrew.yml', ref: 'c'.repeat(40) },
    codeowners: null,
    teams: { 'acme/sre': { members: ['carol', 'dave'] }, 'acme/sre-leads': { members: ['erin', 'frank'] } },
    ...overrides,
  };
}
