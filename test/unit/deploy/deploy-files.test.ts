import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, parse } from 'yaml';
import { ENV_DOCS } from '../../../src/config/env-docs.js';
import { registerQueueGauges, createIntakeMetrics } from '../../../src/ops/intake-metrics.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { createPromTelemetry } from '../../../src/ops/prom-telemetry.js';
import type { JobQueue } from '../../../src/store/queue/job-queue.js';
import { repoRoot } from '../../support/processes.js';

const deploy = (...path: string[]) => join(repoRoot, 'deploy', ...path);

type Manifest = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string>; stringData?: Record<string, string> };

function manifests(): Manifest[] {
  return readdirSync(deploy('kubernetes'))
    .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
    .flatMap((name) => parseAllDocuments(readFileSync(deploy('kubernetes', name), 'utf8')).map((doc) => doc.toJS() as Manifest));
}

/** Every series name the service can expose (histograms with their _bucket, _sum and _count). */
async function exposedNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  createPromTelemetry(metrics);
  createIntakeMetrics(metrics);
  registerQueueGauges(metrics, { counts: async () => [] } as unknown as JobQueue, () => 0);
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

describe('deploy/', () => {
  it('the Grafana dashboard queries only metrics pitcrew exposes', async () => {
    const dashboard = JSON.parse(readFileSync(deploy('grafana', 'pitcrew.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const exposed = await exposedNames();
    const used = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/\bpitcrew_[a-z_]+/g)].map((m) => `${panel.title}: ${m[0]}`)));
    assert.ok(used.length >= 20);
    assert.deepEqual(used.filter((ref) => !exposed.has(ref.split(': ')[1]!)), [], 'unknown metrics in the dashboard');
    // Each trust metric of the issue has a panel.
    for (const name of ['pitcrew_decision_latency_seconds_bucket', 'pitcrew_actions_total', 'pitcrew_incident_resolution_seconds_sum', 'pitcrew_llm_tokens_total', 'pitcrew_llm_cost_usd_total', 'pitcrew_human_overrides_total', 'pitcrew_queue_jobs', 'pitcrew_queue_oldest_pending_age_seconds', 'pitcrew_rate_limit_wait_seconds_bucket', 'pitcrew_breaker_state']) {
      assert.ok(used.some((ref) => ref.endsWith(`: ${name}`)), `a panel shows ${name}`);
    }
  });

  it('the Kubernetes Deployment runs 2 non-root replicas probed on the real health routes, behind a Service and a PDB', () => {
    const all = manifests();
    const deployment = all.find((m) => m.kind === 'Deployment')!;
    const spec = deployment.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Array<{ livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>; securityContext: { allowPrivilegeEscalation: boolean } }> } } };
    assert.equal(spec.replicas, 2);
    const pod = spec.template;
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.notEqual(pod.spec.securityContext.runAsUser, 0);
    const container = pod.spec.containers[0]!;
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    const routes = readFileSync(join(repoRoot, 'src', 'http', 'health-routes.ts'), 'utf8');
    for (const path of [container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path]) {
      assert.ok(routes.includes(`http.route('GET', '${path}'`), `probe path ${path} is a route of the service`);
    }
    const labels = pod.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    assert.ok(matches(spec.selector.matchLabels));
    const service = all.find((m) => m.kind === 'Service')!;
    assert.ok(matches((service.spec as { selector: Record<string, string> }).selector), 'the Service selects the pods');
    const pdb = all.find((m) => m.kind === 'PodDisruptionBudget')!;
    assert.ok(matches((pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels), 'the PDB covers the pods');
    assert.equal((pdb.spec as { minAvailable: number }).minAvailable, 1);

    // The ConfigMap and Secret it reads exist, and hold only variables pitcrew knows.
    const refs = container.envFrom.map((ref) => ref.configMapRef?.name ?? ref.secretRef?.name);
    const configMap = all.find((m) => m.kind === 'ConfigMap')!;
    const secret = parse(readFileSync(deploy('kubernetes', 'secret.example.yaml'), 'utf8')) as Manifest;
    assert.deepEqual(refs, [configMap.metadata.name, secret.metadata.name]);
    const known = new Set(Object.keys(ENV_DOCS));
    const keys = [...Object.keys(configMap.data!), ...Object.keys(secret.stringData!)];
    assert.deepEqual(keys.filter((key) => !known.has(key)), [], 'unknown variables in the ConfigMap or Secret');
    assert.ok(keys.includes('DATABASE_URL') && keys.includes('REDIS_URL') && keys.includes('CHROMA_URL'), 'replicas share Postgres, Redis and Chroma');
  });

  it('the Dockerfile is multi-stage and its image runs as a non-root user', () => {
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2);
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1)!), `the last USER is ${users.at(-1)}`);
    assert.match(dockerfile, /CMD \["node", "bin\/pitcrew\.js", "serve"\]/);
  });

  it('the Alertmanager receiver posts to the alert endpoint with a bearer token and sends resolutions', () => {
    const config = parse(readFileSync(deploy('alertmanager', 'receiver.yml'), 'utf8')) as { route: { routes: Array<{ receiver: string; continue: boolean }> }; receivers: Array<{ name: string; webhook_configs: Array<{ url: string; send_resolved: boolean; http_config: { authorization: { type: string } } }> }> };
    assert.equal(config.route.routes[0]!.receiver, 'pitcrew');
    assert.equal(config.route.routes[0]!.continue, true, 'existing routes still page');
    const hook = config.receivers.find((r) => r.name === 'pitcrew')!.webhook_configs[0]!;
    assert.match(hook.url, /\/alerts\/alertmanager$/);
    assert.equal(hook.send_resolved, true);
    assert.equal(hook.http_config.authorization.type, 'Bearer');
  });
});
