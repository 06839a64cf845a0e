import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '../../../src/sandbox/kubernetes/patch.js';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'sidecar', image: 'proxy:1' }] } },
  },
};

describe('Kubernetes patch formats', () => {
  it('applies RFC 6902 operations and refuses ones that do not apply', () => {
    const patched = applyJsonPatch(deployment, [
      { op: 'replace', path: '/spec/replicas', value: 4 },
      { op: 'add', path: '/spec/template/metadata/annotations', value: { 'kubectl.kubernetes.io/restartedAt': 't' } },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
      { op: 'test', path: '/metadata/name', value: 'web' },
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
    ]) as typeof deployment & { metadata: { annotations: unknown } };
    assert.equal(patched.spec.replicas, 4);
    assert.deepEqual(patched.spec.template.spec.containers.map((container) => container.name), ['web']);
    assert.deepEqual(patched.metadata.annotations, { app: 'web' });
    assert.equal(deployment.spec.replicas, 2, 'the input is not mutated');
    assert.throws(() => applyJsonPatch(deployment, [{ op: 'add', path: '/spec/template/metadata/annotations/x', value: '1' }]), PatchError);
    assert.throws(() => applyJsonPatch(deployment, [{ op: 'test', path: '/spec/replicas', value: 3 }]), /test failed/);
    assert.throws(() => applyJsonPatch(deployment, [{ op: 'remove', path: '/nope' }]), /missing path/);
    assert.throws(() => applyJsonPatch(deployment, { op: 'add' }), PatchError);
  });

  it('merges RFC 7386 patches: objects recurse, null deletes, arrays replace', () => {
    const patched = applyMergePatch(deployment, { metadata: { labels: null }, spec: { template: { spec: { containers: [{ name: 'only' }] } } } }) as typeof deployment;
    assert.equal('labels' in patched.metadata, false);
    assert.deepEqual(patched.spec.template.spec.containers, [{ name: 'only' }]);
    assert.equal(patched.spec.replicas, 2);
  });

  it('merges containers by name in strategic merge patches, as kubectl relies on', () => {
    const patched = applyStrategicMergePatch(deployment, {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } }, spec: { containers: [{ name: 'web', image: 'web:2' }, { name: 'sidecar', $patch: 'delete' }] } } },
    }) as typeof deployment & { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    assert.deepEqual(patched.spec.template.spec.containers, [{ name: 'web', image: 'web:2' }]);
    assert.equal(patched.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], 't');
    assert.deepEqual(patched.spec.template.metadata.labels, { app: 'web' });
  });
});
