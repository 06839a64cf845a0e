import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Action } from '../../../src/domain/action.js';
import { evaluatePolicy, urlAllowed } from '../../../src/domain/policy.js';
import { policy, signal } from '../../support/planning.js';

const act = (raw: object) => Action.parse(raw);

describe('policy', () => {
  it('allows actions on configured targets and takes the highest risk', () => {
    const verdict = evaluatePolicy([
      act({ kind: 'notify', message: 'look' }),
      act({ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'checkout-api' }),
      act({ kind: 'github.rerun_failed_jobs', repo: 'acme/api', runId: 12 }),
    ], policy(), signal());
    assert.deepEqual({ allowed: verdict.allowed, risk: verdict.risk, reasons: verdict.reasons }, { allowed: true, risk: 'medium', reasons: [] });
  });

  it('rejects targets outside the configured repos, URLs, clusters and namespaces, naming each', () => {
    const verdict = evaluatePolicy([
      act({ kind: 'gitops.patch', repo: 'evil/repo', path: 'a.yaml', set: [{ path: 'x', value: 1 }] }),
      act({ kind: 'http.request', url: 'https://hooks.example.com/remediatex/run' }),
      act({ kind: 'http.request', url: 'https://hooks.example.com.evil.io/remediate/run' }),
      act({ kind: 'kubernetes.scale', namespace: 'kube-system', name: 'coredns', replicas: 0 }),
      act({ kind: 'kubernetes.rollout_restart', cluster: 'prod-us-1', namespace: 'payments', name: 'api' }),
    ], policy(), signal());
    assert.equal(verdict.allowed, false);
    assert.equal(verdict.reasons.length, 5);
    assert.match(verdict.reasons[0]!, /action 1 \(gitops.patch evil\/repo:a.yaml\) targets repository evil\/repo/);
    assert.match(verdict.reasons[1]!, /calls https:\/\/hooks.example.com\/remediatex\/run, which is not under/);
    assert.match(verdict.reasons[3]!, /namespace kube-system in the default cluster/);
    assert.match(verdict.reasons[4]!, /namespace payments in cluster prod-us-1/);
  });

  it('rejects kinds the policy does not allow and plans above maxRisk', () => {
    const p = policy({ actions: ['notify', 'kubernetes.scale'], maxRisk: 'medium' });
    const verdict = evaluatePolicy([
      act({ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'api' }),
      act({ kind: 'kubernetes.scale', namespace: 'payments', name: 'api', replicas: 0 }),
    ], p, signal());
    assert.match(verdict.reasons.join('\n'), /kind kubernetes.rollout_restart is not allowed/);
    assert.match(verdict.reasons.join('\n'), /risk high is above the policy's maxRisk \(medium\)/);
  });

  it('raises risk by built-in and configured rules, never lowers it', () => {
    const p = policy({ riskRules: [{ namespaces: ['payments'], severities: ['critical'], raiseTo: 'high', reason: 'payments during a critical alert' }, { kinds: ['notify'], raiseTo: 'low', reason: 'no-op' }] });
    const verdict = evaluatePolicy([
      act({ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'api' }),
      act({ kind: 'gitops.patch', path: '.github/workflows/deploy.yml', set: [{ path: 'on', value: 'push' }], repo: 'acme/api' }),
      act({ kind: 'notify', message: 'x', risk: 'medium' }),
    ], p, signal());
    assert.deepEqual(verdict.actionRisks, ['high', 'high', 'medium']);
    assert.deepEqual(verdict.raised.map((r) => r.reason), ['payments during a critical alert', 'changes files under .github/ (workflows, CODEOWNERS, pitcrew config)']);
    assert.equal(evaluatePolicy([act({ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'api' })], p, signal({ severity: 'warning' })).risk, 'medium');
  });

  it('matches URLs by scheme, host, port and path segment, never by string prefix', () => {
    const bases = ['https://hooks.example.com/remediate'];
    assert.equal(urlAllowed('https://hooks.example.com/remediate/restart?x=1', bases), true);
    assert.equal(urlAllowed('https://hooks.example.com/remediate', bases), true);
    for (const url of ['http://hooks.example.com/remediate/x', 'https://hooks.example.com:8443/remediate/x', 'https://hooks.example.com/remediated', 'https://hooks.example.com.evil.io/remediate/x', 'https://hооks.example.com/remediate/x', 'https://evil.io/https://hooks.example.com/remediate/']) {
      assert.equal(urlAllowed(url, bases), false, url);
    }
  });

  it('refuses URLs that smuggle credentials, traversal or encoded slashes at the schema', () => {
    for (const url of ['https://user:pw@hooks.example.com/remediate/x', 'https://hooks.example.com/remediate/../admin', 'https://hooks.example.com/remediate/%2e%2e/admin', 'https://hooks.example.com/remediate/a%2Fb', 'https://hooks.example.com\\@evil.io/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://hooks.example.com/remediate/\u202Ex']) {
      assert.equal(Action.safeParse({ kind: 'http.request', url }).success, false, url);
    }
  });
});
