import { after } from 'node:test';
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import type { FixPullRecorder } from '../../src/adapters/github/fix-pull-tracker.js';
import type { DeliveryClaimPort } from '../../src/adapters/github/dedupe-deliveries.js';
import { mountGitHub, type GitHubService } from '../../src/adapters/github/mount.js';
import type { Policy } from '../../src/domain/policy.js';
import { HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { createRateLimiter } from '../../src/ops/rate-limit/limiter.js';
import type { CiWiring } from '../../src/adapters/github/ci-wiring.js';
import { createRedactor, createSyncRedact } from '../../src/ops/redaction/redactor.js';
import { openStore, type Store } from '../../src/store/store.js';
import { freshStoreConfig } from './databases.js';
import { FakeGitHub, appOptionsFromManifest, type FakeApp } from '../../src/sandbox/index.js';
import { DEPLOYMENT_YAML, githubPolicy } from './github.js';

export const REPO = 'acme/deploy';
export const BOT = 'pitcrew[bot]';

export const CONFIG_YAML = `# who approves pitcrew plans in acme/deploy
approvers:
  low: [alice, bob, "@acme/sre"]
  high: ["@acme/sre-leads"]
requiredApprovals:
  medium: 1
  high: 2
`;

export interface PitcrewOnFake {
  fake: FakeGitHub;
  app: FakeApp;
  github: GitHubService;
  port: number;
  /** Lines pitcrew logged (JSON objects). */
  logs: Array<Record<string, unknown>>;
  /** The store CI diagnosis writes to (only with `ci`). */
  store?: Store;
  /** The latest `pitcrew/gate` status pitcrew set on `sha`. */
  gate(sha: string): { state: string; description: string; targetUrl: string | null } | undefined;
}

/**
 * pitcrew's GitHub App (the real Probot, the real Octokit, pitcrew's
 * middleware on the shared HttpServer) against the GitHub fake, with the
 * app's permissions and events taken from app.yml. acme/deploy holds the
 * config, a deployment manifest, and people: alice (org admin), bob,
 * carol and dave (team sre), erin and frank (team sre-leads), pat (team
 * payments), mallory (a writer who approves nothing).
 */
export async function pitcrewOnFake(options: { files?: Record<string, string>; policy?: Policy; dryRun?: boolean; perMinute?: number; fixPulls?: FixPullRecorder; deliveries?: DeliveryClaimPort; ci?: Partial<CiWiring> | boolean } = {}): Promise<PitcrewOnFake> {
  const http = new HttpServer(silentLogger(), createMetrics({ defaultMetrics: false }));
  const port = await http.listen(0, '127.0.0.1');
  const fake = await FakeGitHub.start();
  const secret = 'pitcrew-webhook-secret';
  const app = fake.createApp({ slug: 'pitcrew', ...appOptionsFromManifest('app.yml'), webhook: { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret } });
  fake.addOrg('acme', { alice: 'admin' });
  fake.addTeam({ org: 'acme', slug: 'sre', members: ['carol', 'dave'] });
  fake.addTeam({ org: 'acme', slug: 'sre-leads', members: ['erin', 'frank'] });
  fake.addTeam({ org: 'acme', slug: 'payments', members: ['pat'] });
  await fake.createRepo({
    owner: 'acme',
    name: 'deploy',
    files: { 'README.md': '# deploy\n', '.github/pitcrew.yml': CONFIG_YAML, 'k8s/checkout-api.yaml': DEPLOYMENT_YAML, ...options.files },
    installations: [app],
  });
  for (const login of ['bob', 'carol', 'dave', 'erin', 'frank', 'pat', 'mallory']) fake.addCollaborator(REPO, login, 'write');

  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
    done();
  } });
  const log: Logger = pino({ level: 'info' }, sink);
  const limiter = createRateLimiter({ name: `test-${port}`, perMinute: options.perMinute ?? 60_000 });
  const store = options.ci ? await openStore(await freshStoreConfig('sqlite')) : undefined;
  const ci: CiWiring | undefined = store ? { store, clock: { now: () => Date.now() }, redactSync: createSyncRedact(), ...(typeof options.ci === 'object' ? options.ci : {}) } : undefined;
  const github = await mountGitHub(http, { appId: app.id, privateKey: app.privateKey!, webhookSecret: secret, apiUrl: fake.url }, {
    log, policy: options.policy ?? githubPolicy(), redactor: createRedactor(), dryRun: options.dryRun ?? false, limiter, retries: false, throttle: false,
    ...(options.fixPulls ? { fixPulls: options.fixPulls } : {}),
    ...(options.deliveries ? { deliveries: options.deliveries } : {}),
    ...(ci ? { ci } : {}),
  });
  after(async () => {
    await fake.settled();
    await http.close();
    await limiter.stop();
    await fake.stop();
    await store?.close();
  });
  return {
    fake,
    app,
    github,
    port,
    logs,
    ...(store ? { store } : {}),
    gate: (sha) => {
      const status = fake.statuses(REPO, sha).filter((s) => s.context === 'pitcrew/gate' && s.creator === BOT).at(-1);
      return status ? { state: status.state, description: status.description ?? '', targetUrl: status.targetUrl } : undefined;
    },
  };
}
