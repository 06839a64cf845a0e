import type { Signal } from '../../src/domain/signal.js';
import { Policy, type PolicyInput } from '../../src/domain/policy.js';
import { PlanningContext, type PlanningContextInput, type RunbookCandidate } from '../../src/planner/context.js';

/** A firing Alertmanager signal for the checkout API, overridable per test. */
export function signal(overrides: Partial<Signal> = {}): Signal {
  return {
    source: 'alertmanager',
    fingerprint: 'a1b2c3d4e5f60718',
    status: 'firing',
    alertname: 'HighErrorRate',
    severity: 'critical',
    labels: { alertname: 'HighErrorRate', namespace: 'payments', deployment: 'checkout-api', service: 'checkout-api', severity: 'critical', replicas: '6' },
    annotations: { summary: 'checkout-api 5xx rate above 5% for 10m', description: 'Error rate is 7.2% on checkout-api.' },
    summary: 'checkout-api 5xx rate above 5% for 10m',
    description: 'Error rate is 7.2% on checkout-api.',
    service: 'checkout-api',
    startsAt: Date.UTC(2026, 0, 1, 12),
    links: [{ title: 'source', url: 'https://prometheus.example.com/graph?g0.expr=rate' }],
    ...overrides,
  };
}

export function runbook(overrides: Partial<RunbookCandidate> = {}): RunbookCandidate {
  return {
    id: 'runbooks/high-error-rate.md#mitigation',
    path: 'runbooks/high-error-rate.md',
    title: 'High error rate',
    headingPath: ['Mitigation'],
    text: 'A bad deploy is the usual cause of a sudden error spike. Restart the deployment to clear poisoned connection pools, then scale up.',
    alerts: ['HighErrorRate'],
    services: ['checkout-api'],
    tags: ['http'],
    remediation: [
      { kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: '{{labels.deployment}}' },
      { kind: 'kubernetes.scale', namespace: '{{labels.namespace}}', name: '{{labels.deployment}}', replicas: '{{labels.replicas}}' },
    ],
    score: 0.82,
    matchedBy: 'alertname',
    reason: 'alertname HighErrorRate is declared in front matter',
    ...overrides,
  };
}

export function context(overrides: Partial<PlanningContextInput> = {}): PlanningContext {
  return PlanningContext.parse({
    signal: signal(),
    runbooks: [runbook()],
    similarIncidents: [{ id: 'INC-42', title: 'Checkout 5xx after deploy', summary: 'Errors after a bad deploy.', resolution: 'rollout restart of checkout-api', score: 0.7, matchedBy: 'hybrid' }],
    retrieval: { abstained: false, topScore: 0.82, threshold: 0.35 },
    ...overrides,
  });
}

export function policy(overrides: PolicyInput = {}): Policy {
  return Policy.parse({
    repos: ['acme/deploy', 'acme/api'],
    defaultRepo: 'acme/deploy',
    http: { baseUrls: ['https://hooks.example.com/remediate/'] },
    kubernetes: { targets: [{ namespaces: ['payments', 'team-*'] }, { cluster: 'prod-eu-1', namespaces: ['payments'] }] },
    ...overrides,
  });
}
