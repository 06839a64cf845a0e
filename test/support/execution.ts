import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { startExecution, type ExecutionService, type ExecutionServiceDeps } from '../../src/actions/start-execution.js';
import type { Clock } from '../../src/domain/clock.js';
import type { AuditTrail, ExecutionRecord, KillSwitch } from '../../src/domain/execution.js';
import type { Plan } from '../../src/domain/plan.js';
import type { Policy } from '../../src/domain/policy.js';
import { FakeKubernetes } from '../../src/sandbox/index.js';
import { storedKillSwitch } from '../../src/store/kill-switch.js';
import { SettingsRepo } from '../../src/store/settings-repo.js';
import type { Store } from '../../src/store/store.js';
import { freshStoreConfig, type BackendName } from './databases.js';
import type { StoreConfig } from '../../src/config/config.js';
import { openStore } from '../../src/store/store.js';
import { alertPlan, githubPolicy } from './github.js';
import { CONFIG_YAML, REPO, pitcrewOnFake, type PitcrewOnFake } from './github-app.js';
import { recordingChat } from './recording-chat.js';
import { tempDir } from './tmp.js';

export const HTTP_SECRET = 'test-http-action-secret-0123456789';

export const WORKFLOW_YAML = `name: remediate
on:
  workflow_dispatch:
    inputs:
      service:
        required: true
jobs:
  remediate:
    runs-on: ubuntu-latest
    steps:
      - run: echo remediate
`;

/** An HTTP target on loopback that records every request and checks pitcrew's HMAC signature. */
export async function httpTarget(status = 200) {
  const hits: Array<{ method: string; url: string; key: string; signed: boolean; body: string }> = [];
  const state = { status };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = String(req.headers['x-pitcrew-idempotency-key'] ?? '');
      const timestamp = String(req.headers['x-pitcrew-timestamp'] ?? '');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`;
      const expected = `v1=${createHmac('sha256', HTTP_SECRET).update(`v1:${timestamp}:${req.method}:${url}:${key}:${body}`).digest('hex')}`;
      hits.push({ method: req.method ?? '', url, key, signed: req.headers['x-pitcrew-signature'] === expected, body });
      res.writeHead(state.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/remediate/`, hits, state };
}

export interface ExecutionHarness {
  env: PitcrewOnFake;
  store: Store;
  storeConfig: StoreConfig;
  k8s: FakeKubernetes;
  kubeconfig: string;
  target: Awaited<ReturnType<typeof httpTarget>>;
  chat: ReturnType<typeof recordingChat>;
  killSwitch: KillSwitch;
  audits: Array<{ record: ExecutionRecord; branch: string }>;
  afterRecords: ExecutionRecord[];
  policy: Policy;
  execution: ExecutionService;
  /** A second executor on the same store (another process after a restart). */
  startExecutor(overrides?: Partial<ExecutionServiceDeps>): ExecutionService;
  /** A plan with four actions: restart, gitops patch, signed HTTP call, workflow dispatch. */
  plan(planId?: string): Plan;
  restarts(): number;
  settled(): Promise<void>;
}

export async function executionHarness(options: { files?: Record<string, string>; backend?: BackendName; leaseMs?: number; clock?: Clock; afterJournal?: (key: string) => Promise<void>; afterAction?: (key: string) => Promise<void>; targetStatus?: number; dryRun?: boolean } = {}): Promise<ExecutionHarness> {
  const target = await httpTarget(options.targetStatus ?? 200);
  const policy = githubPolicy();
  policy.http.baseUrls = [target.base];
  const env = await pitcrewOnFake({ policy, files: { '.github/workflows/remediate.yml': WORKFLOW_YAML, ...options.files } });
  const storeConfig = await freshStoreConfig(options.backend ?? 'sqlite');
  const store = await openStore(storeConfig);
  const k8s = await FakeKubernetes.start();
  after(() => k8s.stop());
  k8s.addDeployment('checkout-api', { namespace: 'payments', replicas: 6 });
  const kubeconfig = k8s.writeKubeconfig(join(tempDir(), 'kubeconfig'));
  const chat = recordingChat();
  const clock = options.clock ?? { now: () => Date.now() };
  const killSwitch = storedKillSwitch(new SettingsRepo(store.db, clock));
  const audits: ExecutionHarness['audits'] = [];
  const afterRecords: ExecutionRecord[] = [];
  const audit: AuditTrail = { append: async (record, branch) => {
    audits.push({ record, branch });
    return { sha: 'f'.repeat(40), url: null };
  } };
  const services: ExecutionService[] = [];
  const startExecutor = (overrides: Partial<ExecutionServiceDeps> = {}) => {
    const service = startExecution({
      github: env.github, store, chat, killSwitch, policy, clock, log: env.github.probot.log as never, dryRun: options.dryRun ?? false,
      audit, afterExecution: async (record) => {
        afterRecords.push(record);
      },
      kubeconfig, httpSecret: HTTP_SECRET, httpTimeoutMs: 5_000, runPollMs: 20,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.afterJournal ? { afterJournal: options.afterJournal } : {}),
      ...(options.afterAction ? { afterAction: options.afterAction } : {}),
      ...overrides,
    });
    services.push(service);
    return service;
  };
  const execution = startExecutor();
  after(async () => {
    for (const service of services) await service.stop().catch(() => {});
    await store.close();
  });
  const harness: ExecutionHarness = {
    env, store, storeConfig, k8s, kubeconfig, target, chat, killSwitch, audits, afterRecords, policy, execution, startExecutor,
    plan: (planId = 'plan_x1') => {
      const base = alertPlan({ planId });
      return {
        ...base,
        actions: [
          base.actions[0]!,
          base.actions[1]!,
          { kind: 'http.request', method: 'POST', url: `${target.base}cache/flush`, body: { service: 'checkout-api' } },
          { kind: 'github.workflow_dispatch', repo: REPO, workflow: 'remediate.yml', ref: 'main', inputs: { service: 'checkout-api' } },
        ],
      };
    },
    restarts: () => k8s.changes({ name: 'checkout-api' }).filter((change) => change.verb === 'patch').length,
    settled: async () => {
      for (let i = 0; i < 3; i++) {
        await env.fake.settled();
        for (const service of services) await service.executor.settled();
      }
      await env.fake.settled();
    },
  };
  return harness;
}

export { CONFIG_YAML, REPO };
