/**
 * A second pitcrew process for the kill -9 test: it runs one merged PR's
 * execution against the same store and the same fakes, and is killed
 * mid-plan by the test. Everything comes from the environment.
 */
import { mountGitHub } from '../../src/adapters/github/mount.js';
import { startExecution } from '../../src/actions/start-execution.js';
import { Policy } from '../../src/domain/policy.js';
import { systemClock } from '../../src/domain/clock.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { createRedactor } from '../../src/ops/redaction/redactor.js';
import { storedKillSwitch } from '../../src/store/kill-switch.js';
import { SettingsRepo } from '../../src/store/settings-repo.js';
import { openStore } from '../../src/store/store.js';
import type { MergedPull } from '../../src/pipeline/execute/ports.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset`);
  return value;
};

const log = createLogger('info');
const store = await openStore({ kind: 'sqlite', file: env('CHILD_STORE_FILE') });
const http = new HttpServer(log, createMetrics({ defaultMetrics: false }));
await http.listen(0, '127.0.0.1');
const policy = Policy.parse(JSON.parse(env('CHILD_POLICY')));
const github = await mountGitHub(http, { appId: Number(env('CHILD_APP_ID')), privateKey: env('CHILD_PRIVATE_KEY'), webhookSecret: 'unused', apiUrl: env('CHILD_GITHUB_URL') }, {
  log, policy, redactor: createRedactor(), dryRun: false, retries: false, throttle: false,
});
const execution = startExecution({
  github, store, chat: { syncIncident: async () => null, reply: async () => {}, threadOf: async () => null },
  killSwitch: storedKillSwitch(new SettingsRepo(store.db, systemClock)), policy, clock: systemClock, log, dryRun: false,
  kubeconfig: env('CHILD_KUBECONFIG'), httpSecret: env('CHILD_HTTP_SECRET'), leaseMs: 1_000, runPollMs: 20, owner: 'child-process',
});
const pull = JSON.parse(env('CHILD_PULL')) as MergedPull;
process.stdout.write('child: executing\n');
await execution.executor.onMerged(pull);
process.stdout.write('child: done\n');
await execution.stop();
await http.close();
await store.close();
