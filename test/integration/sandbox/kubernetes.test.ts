import * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeKubernetes, RESTARTED_AT, type FakeKubernetesOptions } from '../../../src/sandbox/index.js';
import { tempDir } from '../../support/tmp.js';

async function cluster(options: FakeKubernetesOptions = {}) {
  const fake = await FakeKubernetes.start(options);
  after(() => fake.stop());
  fake.addDeployment('web', { namespace: 'prod', replicas: 3 });
  fake.addStatefulSet('db', { namespace: 'prod', replicas: 1 });
  fake.addDaemonSet('agent', { namespace: 'prod' });
  const kubeconfig = fake.writeKubeconfig(join(tempDir(), 'kubeconfig'));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { fake, apps: kc.makeApiClient(k8s.AppsV1Api), kc };
}

/** kubectl's rollout restart: a strategic merge patch of the pod template annotation. */
function restartPatch(at: string) {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
}

const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

async function apiError(promise: Promise<unknown>): Promise<{ code: number; body: { reason: string; message: string } }> {
  try {
    await promise;
  } catch (error) {
    // client-node keeps the Status body as text, except for codes its spec documents (401 has none).
    const apiException = error as { code: number; body?: string };
    return { code: apiException.code, body: (typeof apiException.body === 'string' ? JSON.parse(apiException.body) : {}) as { reason: string; message: string } };
  }
  throw new Error('expected an API error');
}

describe('Kubernetes fake through @kubernetes/client-node', () => {
  it('rolls out a restart of a deployment, statefulset and daemonset from a generated kubeconfig', async () => {
    const { fake, apps, kc } = await cluster();
    assert.equal(kc.getCurrentCluster()!.server, fake.url);
    const at = new Date().toISOString();
    const deployment = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'prod', body: restartPatch(at) }, strategic);
    assert.equal(deployment.spec!.template.metadata!.annotations![RESTARTED_AT], at);
    assert.equal(deployment.metadata!.generation, 2, 'a template change is a new generation');
    assert.deepEqual(deployment.spec!.template.spec!.containers.map((container) => container.name), ['web'], 'containers untouched');
    await apps.patchNamespacedStatefulSet({ name: 'db', namespace: 'prod', body: restartPatch(at) }, strategic);
    await apps.patchNamespacedDaemonSet({ name: 'agent', namespace: 'prod', body: restartPatch(at) }, strategic);
    assert.equal(fake.restartedAt('Deployment', 'web', 'prod'), at);
    assert.equal(fake.restartedAt('StatefulSet', 'db', 'prod'), at);
    assert.equal(fake.restartedAt('DaemonSet', 'agent', 'prod'), at);
    const { status } = await apps.readNamespacedDeployment({ name: 'web', namespace: 'prod' });
    assert.deepEqual([status!.observedGeneration, status!.updatedReplicas, status!.readyReplicas], [2, 3, 3]);
    assert.deepEqual(fake.changes({ name: 'web' }).map((change) => [change.verb, change.changed]), [['create', []], ['patch', ['spec.template']]]);
    assert.equal(fake.changes({ name: 'web' })[1]!.contentType, 'application/strategic-merge-patch+json');
  });

  it('reports a rollout in progress until the simulated controller catches up', async () => {
    const { fake, apps } = await cluster({ rolloutMs: 100 });
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'prod', body: restartPatch(new Date().toISOString()) }, strategic);
    const during = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'prod' })).status!;
    assert.equal(during.updatedReplicas, 0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const done = (await apps.readNamespacedDeployment({ name: 'web', namespace: 'prod' })).status!;
    assert.deepEqual([done.observedGeneration, done.updatedReplicas], [2, 3]);
    assert.ok(fake.get('Deployment', 'web', 'prod'));
  });

  it('reads and patches the scale subresource; daemonsets have none', async () => {
    const { fake, apps } = await cluster();
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'prod' });
    assert.deepEqual([scale.kind, scale.spec!.replicas, scale.status!.selector], ['Scale', 3, 'app=web']);
    const scaled = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'prod', body: { spec: { replicas: 5 } } }, merge);
    assert.equal(scaled.spec!.replicas, 5);
    assert.equal(fake.replicas('Deployment', 'web', 'prod'), 5);
    await apps.patchNamespacedStatefulSetScale({ name: 'db', namespace: 'prod', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
    assert.equal(fake.replicas('StatefulSet', 'db', 'prod'), 2, 'JSON Patch, the client default, works too');
    const replaced = await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'prod', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'prod' }, spec: { replicas: 1 } } });
    assert.equal(replaced.spec!.replicas, 1);
    // The typed client has no daemonset scale method; the API answers 404 for the path.
    const noScale = await fetch(`${fake.url}/apis/apps/v1/namespaces/prod/daemonsets/agent/scale`, { headers: { authorization: `Bearer ${fake.token}` } });
    assert.equal(noScale.status, 404);
    assert.equal(((await noScale.json()) as { reason: string }).reason, 'NotFound');
  });

  it('answers errors with Kubernetes Status objects', async () => {
    const { fake, apps, kc } = await cluster();
    const missing = await apiError(apps.readNamespacedDeployment({ name: 'nope', namespace: 'prod' }));
    assert.deepEqual([missing.code, missing.body.reason, missing.body.message], [404, 'NotFound', 'deployments.apps "nope" not found']);
    const negative = await apiError(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'prod', body: { spec: { replicas: -1 } } }, merge));
    assert.deepEqual([negative.code, negative.body.reason], [422, 'Invalid']);
    assert.match(negative.body.message, /spec.replicas: Invalid value: -1: must be greater than or equal to 0/);
    const jsonPatch = await apiError(apps.patchNamespacedDeployment({ name: 'web', namespace: 'prod', body: [{ op: 'add', path: '/spec/template/metadata/annotations/x', value: '1' }] }));
    assert.equal(jsonPatch.code, 422, 'a JSON Patch into a missing map fails, as on a real API server');
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: 'prod' });
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'prod', body: restartPatch('2026-01-01T00:00:00Z') }, strategic);
    const conflict = await apiError(apps.replaceNamespacedDeployment({ name: 'web', namespace: 'prod', body: current }));
    assert.deepEqual([conflict.code, conflict.body.reason], [409, 'Conflict']);

    const readOnly = new k8s.KubeConfig();
    readOnly.loadFromString(fake.kubeconfig({ token: fake.tokenWith(['get', 'list']) }));
    const forbidden = await apiError(readOnly.makeApiClient(k8s.AppsV1Api).patchNamespacedDeployment({ name: 'web', namespace: 'prod', body: restartPatch('x') }, strategic));
    assert.deepEqual([forbidden.code, forbidden.body.reason], [403, 'Forbidden']);
    assert.match(forbidden.body.message, /cannot patch resource "deployments" in API group "apps" in the namespace "prod"/);
    const stranger = new k8s.KubeConfig();
    stranger.loadFromString(fake.kubeconfig({ token: 'not-a-token' }));
    assert.equal((await apiError(stranger.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'prod' }))).code, 401);
    assert.equal(kc.getCurrentContext(), 'pitcrew-sandbox');
  });

  it('lists workloads per namespace', async () => {
    const { apps, fake } = await cluster();
    fake.addDeployment('api', { namespace: 'staging' });
    assert.deepEqual((await apps.listNamespacedDeployment({ namespace: 'prod' })).items.map((item) => item.metadata!.name), ['web']);
    assert.deepEqual((await apps.listDeploymentForAllNamespaces()).items.map((item) => item.metadata!.name).sort(), ['api', 'web']);
  });
});
