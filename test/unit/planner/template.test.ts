import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolateStep, interpolateSteps } from '../../../src/planner/template.js';
import { signal } from '../../support/planning.js';

describe('remediation templates', () => {
  it('fills labels, annotations and scalar fields from the signal', () => {
    const result = interpolateStep({ kind: 'kubernetes.scale', namespace: '{{labels.namespace}}', name: '{{ labels["deployment"] }}', replicas: '{{labels.replicas}}', title: '{{alertname}} on {{service}} ({{severity}})' }, signal(), 0);
    assert.deepEqual(result, { ok: true, action: { kind: 'kubernetes.scale', namespace: 'payments', name: 'checkout-api', replicas: 6, resource: 'deployment', title: 'HighErrorRate on checkout-api (critical)' } });
  });

  it('rejects an unknown placeholder, naming it and the field', () => {
    const result = interpolateStep({ kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: '{{deployment_name}}' }, signal(), 1);
    assert.equal(result.ok, false);
    assert.match((result as { reasons: string[] }).reasons[0]!, /remediation step 2 \(kubernetes.rollout_restart\) field name: placeholder \{\{deployment_name\}\}: unknown placeholder/);
  });

  it('rejects a placeholder for a label the alert does not have', () => {
    const result = interpolateStep({ kind: 'kubernetes.rollout_restart', namespace: '{{labels.ns}}', name: 'x' }, signal(), 0);
    assert.match((result as { reasons: string[] }).reasons[0]!, /placeholder \{\{labels.ns\}\}: the alert has no label "ns"/);
  });

  it('runs no code and evaluates no expressions', () => {
    for (const expression of ['{{ labels.namespace | upper }}', '{{ process.env.HOME }}', '{{ constructor.constructor("return 1")() }}', '{{labels.__proto__}}', '{{ 1 + 1 }}']) {
      const result = interpolateStep({ kind: 'notify', message: `x ${expression}` }, signal(), 0);
      assert.equal(result.ok, false, expression);
    }
    assert.equal(interpolateStep({ kind: 'notify', message: 'x {{ {{alertname}} }}' }, signal(), 0).ok, false);
    assert.equal(interpolateStep({ kind: 'notify', message: 'x {{alertname' }, signal(), 0).ok, false);
  });

  it('does not expand placeholders inside substituted values', () => {
    const s = signal({ labels: { ...signal().labels, note: '{{annotations.description}}' } });
    const result = interpolateStep({ kind: 'notify', message: 'label says {{labels.note}}' }, s, 0);
    assert.deepEqual(result, { ok: true, action: { kind: 'notify', message: 'label says {{annotations.description}}' } });
  });

  it('lets the Action schema refuse hostile values: ../ paths, bad names, URLs', () => {
    const hostile = signal({ labels: { namespace: '../kube-system', deployment: 'Checkout API', file: '..', host: 'evil.example.com/x?', svc: 'a/../../admin' } });
    const cases = [
      { kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: 'api' },
      { kind: 'kubernetes.rollout_restart', namespace: 'payments', name: '{{labels.deployment}}' },
      { kind: 'gitops.patch', path: 'apps/{{labels.file}}/values.yaml', set: [{ path: 'replicas', value: 3 }] },
      { kind: 'gitops.patch', path: 'apps/{{labels.svc}}/values.yaml', set: [{ path: 'replicas', value: 3 }] },
      { kind: 'http.request', url: 'https://hooks.example.com/remediate/{{labels.host}}' },
      { kind: 'http.request', url: 'https://hooks.example.com/remediate/{{labels.svc}}' },
    ];
    for (const step of cases) {
      const result = interpolateStep(step as never, hostile, 0);
      assert.equal(result.ok, false, JSON.stringify(step));
    }
  });

  it('rejects values with invisible characters or line breaks', () => {
    const s = signal({ labels: { a: 'pay\u202Ements', b: 'pay\u200Bments', c: 'line1\nline2' } });
    assert.match((interpolateStep({ kind: 'notify', message: 'ok', title: '{{labels.a}}' }, s, 0) as { reasons: string[] }).reasons[0]!, /invisible or control character \(U\+202E\)/);
    assert.equal(interpolateStep({ kind: 'kubernetes.rollout_restart', namespace: '{{labels.b}}', name: 'x' }, s, 0).ok, false);
    assert.match((interpolateStep({ kind: 'github.workflow_dispatch', workflow: 'fix.yml', inputs: { why: '{{labels.c}}' } }, s, 0) as { reasons: string[] }).reasons[0]!, /spans several lines/);
  });

  it('collects every failing step', () => {
    const result = interpolateSteps([{ kind: 'notify', message: '{{nope}}' }, { kind: 'notify', message: 'fine' }, { kind: 'notify', message: '{{labels.nope}}' }], signal());
    assert.equal(result.ok, false);
    assert.equal((result as { reasons: string[] }).reasons.length, 2);
  });
});
