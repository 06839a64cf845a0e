import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { transcriptChat, type TranscriptChat } from '../adapters/chat/transcript-chat.js';
import { loadConfig } from '../config/config.js';
import { startService, type RunningService } from '../main.js';
import { createLogger } from '../ops/logger.js';
import { IncidentRepo } from '../store/incident-repo.js';
import { VerificationRepo } from '../store/verification-repo.js';
import { DEMO_ALERT, DEMO_REPO, MERGER, REVIEWER, startDemoWorld, type DemoWorld } from './demo-world.js';

/**
 * `npm run demo`: the whole loop on one machine, against the local fakes.
 *
 *  1. start the GitHub, Slack and Kubernetes fakes and pitcrew on embedded
 *     defaults (SQLite, embedded Chroma, hashed embeddings, the example runbooks);
 *  2. send the sample OOMKilled alert; show the Slack thread as it is posted;
 *  3. wait for the fix PR; approve it as the reviewer and merge it, through
 *     the fake's API as humans would (branch protection applies);
 *  4. wait for the execution (its record on the audit branch);
 *  5. send the resolved alert; wait for verification;
 *  6. print the audit trail (`git log` of the audit branch from a real clone).
 *
 * Every wait has a deadline and says what it waited for when it gives up.
 */
export interface DemoOptions {
  /** Where pitcrew's sources live (runbooks/, app.yml, examples/, docs/). */
  root: string;
  /** Progress lines. */
  out: (line: string) => void;
  /** Longest wait for any one step. */
  stepTimeoutMs?: number;
  /** Keep the data directory (logs, store) instead of removing it. */
  keep?: boolean;
  /** Post to the Slack fake through the real Slack app (default); false: the plain-text chat stand-in. */
  slack?: boolean;
}

export interface DemoResult {
  ok: boolean;
  /** The step that failed, when one did. */
  failed: string | null;
  prNumber: number | null;
  merged: boolean;
  auditSha: string | null;
  /** `git log` of the audit branch: subject and trailers of each commit. */
  auditLog: string;
  verified: boolean;
  thread: string[];
  dataDir: string;
  elapsedMs: number;
}

class StepFailed extends Error {}

const SLACK_CHANNEL = 'incidents';

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { out } = options;
  const timeout = options.stepTimeoutMs ?? 30_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'pitcrew-demo-'));
  const result: DemoResult = { ok: false, failed: null, prNumber: null, merged: false, auditSha: null, auditLog: '', verified: false, thread: [], dataDir, elapsedMs: 0 };
  const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  let stepName = '';
  const step = (n: number, title: string) => {
    stepName = title;
    out(`\n${clock()}  ${n}. ${title}`);
  };
  const info = (text: string) => out(`${clock()}     ${text}`);
  const waitFor = async <T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      showSlack();
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new StepFailed(`gave up after ${timeout / 1000} s waiting for ${what}`);
      await sleep(100);
    }
  };

  let world: DemoWorld | undefined;
  let service: RunningService | undefined;
  let chat: TranscriptChat | undefined;
  const useSlack = options.slack ?? true;
  const seen = new Map<string, string>();
  /** Prints the Slack messages that are new or changed since the last look (the thread as it happens). */
  const showSlack = () => {
    if (!world || !useSlack) return;
    for (const message of world.sandbox.slack.messages(SLACK_CHANNEL)) {
      if (seen.get(message.ts) === message.text) continue;
      const edited = seen.has(message.ts);
      seen.set(message.ts, message.text);
      info(`${message.threadTs ? '  reply ▸' : `thread ▸${edited ? ' (updated)' : ''}`} ${message.text.split('\n').join('\n                 ')}`);
    }
  };
  try {
    step(1, 'Start the local GitHub, Slack and Kubernetes fakes, then pitcrew on embedded defaults');
    world = await startDemoWorld(resolve(options.root, 'app.yml'));
    const { github, kubernetes } = world.sandbox;
    info(`GitHub fake ${github.url}: ${DEMO_REPO} (main protected: 1 approval + pitcrew/gate), people alice, ${REVIEWER} (sre), ${MERGER}`);
    info(`Kubernetes fake: payments/payments-api with ${kubernetes.replicas('Deployment', 'payments-api', 'payments')} replicas`);
    if (useSlack) {
      world.sandbox.slack.addChannel(SLACK_CHANNEL);
      info(`Slack fake ${world.sandbox.slack.apiUrl}: channel #${SLACK_CHANNEL}, the Slack app on pitcrew's /slack/events`);
    } else {
      chat = transcriptChat((_incident, message, isRoot) => info(`${isRoot ? 'thread ▸' : '  reply ▸'} ${message.text.split('\n').join('\n                 ')}`));
    }
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PITCREW_DATA_DIR: dataDir,
      PITCREW_RUNBOOK_DIRS: resolve(options.root, 'runbooks'),
      PITCREW_POLICY_FILE: resolve(options.root, 'docs/policy.example.yml'),
      PITCREW_GITHUB_SETUP: 'false',
      APP_ID: String(world.app.id),
      PRIVATE_KEY: world.app.privateKey!,
      WEBHOOK_SECRET: world.webhookSecret,
      GITHUB_API_URL: github.url,
      PITCREW_KUBECONFIG: world.sandbox.kubeconfigPath,
      ...(useSlack ? world.sandbox.slack.pitcrewEnv(SLACK_CHANNEL) : {}),
    }, options.root);
    const log = createLogger('info', (await import('pino')).pino.destination({ dest: join(dataDir, 'pitcrew.log'), sync: true }));
    service = await startService(config, log, chat ? { chat } : {});
    world.connect(service.port);
    await service.knowledge.runbooksIndexed;
    info(`pitcrew on http://127.0.0.1:${service.port} (${service.store.description}; logs in ${join(dataDir, 'pitcrew.log')})`);

    step(2, `Send the sample alert ${DEMO_ALERT}`);
    const body = readFileSync(resolve(options.root, DEMO_ALERT), 'utf8');
    const posted = await fetch(`http://127.0.0.1:${service.port}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (posted.status !== 202 && posted.status !== 200) throw new StepFailed(`the alert endpoint answered ${posted.status}: ${await posted.text()}`);
    info(`alert accepted (HTTP ${posted.status}); pitcrew opens an incident, finds the runbook, plans and proposes`);
    const store = service.store;
    const incident = await waitFor('the incident', async () => (await new IncidentRepo(store.db).list())[0]);

    step(3, 'Wait for the fix PR; approve it as a reviewer and merge it');
    const pr = await waitFor('the fix PR', async () => github.pulls(DEMO_REPO).find((pull) => pull.head.startsWith('pitcrew/')));
    result.prNumber = pr.number;
    info(`fix PR #${pr.number} "${pr.title}"`);
    info(`files: ${(await github.as(REVIEWER).request('GET', `/repos/${DEMO_REPO}/pulls/${pr.number}/files`) as Array<{ filename: string }>).map((file) => file.filename).join(', ')}`);
    await github.settled();
    const gateOf = (sha: string) => github.statuses(DEMO_REPO, sha).filter((status) => status.context === 'pitcrew/gate').at(-1);
    info(`gate before review: ${gateOf(pr.headSha)?.state ?? 'not set'}: ${gateOf(pr.headSha)?.description ?? ''}`);
    await github.as(REVIEWER).approve(DEMO_REPO, pr.number, { body: 'Memory limit bump looks right.' });
    info(`${REVIEWER} approved ${pr.headSha.slice(0, 7)}`);
    await waitFor('pitcrew/gate to pass', async () => {
      await github.settled();
      return gateOf(pr.headSha)?.state === 'success';
    });
    info(`gate: success: ${gateOf(pr.headSha)?.description ?? ''} (labels: ${github.pulls(DEMO_REPO).find((pull) => pull.number === pr.number)?.labels.join(', ') ?? ''})`);
    await github.as(MERGER).merge(DEMO_REPO, pr.number);
    const merged = await github.pull(DEMO_REPO, pr.number);
    result.merged = merged.merged === true;
    info(`${MERGER} merged #${pr.number} as ${String(merged.merge_commit_sha).slice(0, 7)}`);

    step(4, 'Execute the merged plan (read from the merge commit) and record it on the audit branch');
    result.auditSha = await waitFor('the execution record on pitcrew-audit (is the execute stage in this build?)', async () => {
      await github.settled();
      return github.branchSha(DEMO_REPO, 'pitcrew-audit');
    });
    info(`audit commit ${result.auditSha.slice(0, 7)} on pitcrew-audit; payments-api now has ${kubernetes.replicas('Deployment', 'payments-api', 'payments')} replicas`);

    step(5, 'Verify: the alert resolves, so the incident is resolved and remembered');
    const resolved = JSON.parse(body) as { status: string; alerts: Array<{ status: string; endsAt: string }> };
    resolved.status = 'resolved';
    for (const alert of resolved.alerts) {
      alert.status = 'resolved';
      alert.endsAt = new Date().toISOString();
    }
    await fetch(`http://127.0.0.1:${service.port}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(resolved) });
    const verification = await waitFor('the verification to finish', async () => (await new VerificationRepo(store.db).list()).find((v) => v.incidentId === incident.id && v.state !== 'watching'));
    result.verified = verification.state === 'cleared';
    info(`verification ${verification.state}: ${verification.outcomeNote ?? ''}`);

    await waitFor('the thread to show the verification', async () => !useSlack || world!.sandbox.slack.messages(SLACK_CHANNEL).some((message) => /verified|cleared/i.test(message.text)));

    step(6, 'The audit trail: git log pitcrew-audit (from a real clone)');
    const clone = join(dataDir, 'clone');
    execFileSync('git', ['clone', '--quiet', '--no-local', '--branch', 'pitcrew-audit', github.gitDir(DEMO_REPO), clone]);
    result.auditLog = execFileSync('git', ['-C', clone, 'log', '--format=commit %h  %s%n%(trailers:only,unfold)', 'pitcrew-audit'], { encoding: 'utf8' }).trim();
    for (const line of result.auditLog.split('\n')) info(line);
    result.ok = result.merged && result.verified && result.auditSha !== null;
  } catch (error) {
    result.failed = stepName;
    out(`\n✗ ${stepName}: ${error instanceof StepFailed ? error.message : (error as Error).stack ?? String(error)}`);
    out(`  logs: ${join(dataDir, 'pitcrew.log')}`);
  } finally {
    if (chat && service) {
      const incidents = await new IncidentRepo(service.store.db).list().catch(() => []);
      for (const incident of incidents) result.thread.push(...chat.thread(incident.id).map((message) => message.text));
    } else if (world && useSlack) {
      const slack = world.sandbox.slack;
      for (const root of slack.roots(SLACK_CHANNEL)) result.thread.push(root.text, ...slack.replies(SLACK_CHANNEL, root.ts).map((reply) => reply.text));
    }
    if (result.thread.length > 0) {
      out(`\nThe incident thread (${useSlack ? `#${SLACK_CHANNEL} in the Slack fake` : 'chat stand-in'}):`);
      for (const [i, text] of result.thread.entries()) out(`${i === 0 ? '  ' : '    └ '}${text.split('\n').join('\n      ')}`);
    }
    await service?.stop().catch(() => {});
    await world?.stop().catch(() => {});
    result.elapsedMs = Date.now() - started;
    if (!options.keep && result.ok) rmSync(dataDir, { recursive: true, force: true });
  }
  out(`\n${result.ok ? '✔' : '✗'} demo ${result.ok ? 'finished' : 'stopped'} in ${(result.elapsedMs / 1000).toFixed(1)} s`);
  return result;
}
