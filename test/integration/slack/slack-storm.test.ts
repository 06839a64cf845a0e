import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { ChatMessageRepo } from '../../../src/store/chat-message-repo.js';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { FakeSlack } from '../../../src/sandbox/index.js';
import { alertmanagerBody, startIntakeServer } from '../../support/intake.js';
import { startTestChroma } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';

const chroma = await startTestChroma();
const slack = await FakeSlack.start({ rateLimits: { perChannel: { perSecond: 1, burst: 1 }, tiers: true } });
slack.addChannel('storm');
const server = await startIntakeServer({
  env: {
    CHROMA_URL: chroma.url,
    PITCREW_RUNBOOK_DIRS: join(repoRoot, 'runbooks'),
    PITCREW_POLICY_FILE: join(repoRoot, 'docs', 'policy.example.yml'),
    ...slack.pitcrewEnv('storm'),
  },
});
after(async () => {
  await slack.stop();
  await chroma.stop();
});

it('a storm of 500 alerts in 10 incidents makes exactly 10 threads, at most one message a second in the channel', async () => {
  const names = ['KubePodCrashLooping', 'HighErrorRate', 'DiskFilling', 'CertificateExpiring', 'OOMKilled', 'DeployFailed', 'LatencyHigh', 'QueueBacklog', 'NodeNotReady', 'ReplicaMismatch'];
  // 100 notifications of 5 alerts each, the 10 groups interleaved, sent 10 at a time.
  const requests = Array.from({ length: 100 }, (_, i) => {
    const group = i % 10;
    const alerts = Array.from({ length: 5 }, (_, j) => ({ name: names[group]!, fingerprint: `g${group}-a${Math.floor(i / 10) * 5 + j}`, labels: { pod: `pod-${i}-${j}` } }));
    return alertmanagerBody(alerts, `{}:{alertname="${names[group]}"}`);
  });
  for (let i = 0; i < requests.length; i += 10) {
    const statuses = await Promise.all(requests.slice(i, i + 10).map(async (body) => (await server.post('alertmanager', body)).status));
    assert.ok(statuses.every((status) => status === 202), String(statuses));
  }
  const sent = Date.now();
  const repo = new IncidentRepo(server.service.store.db);
  // Settled: every incident has its root and plan reply, and nothing is left to post.
  for (let i = 0; i < 2400; i++) {
    const incidents = await repo.list({ limit: 100 });
    const done = incidents.length === 10 && incidents.every((incident) => incident.alertsTotal === 50)
      && slack.roots('storm').length === 10
      && slack.roots('storm').every((root) => slack.replies('storm', root.ts).some((reply) => JSON.stringify(reply.blocks).includes('"action_id":"acknowledge"')))
      && server.service.slack!.outbound.pending() === 0;
    if (done) break;
    if (i % 100 === 0) console.log(JSON.stringify({ s: Math.round((Date.now() - sent) / 1000), incidents: incidents.length, alerts: incidents.reduce((n, x) => n + x.alertsTotal, 0), roots: slack.roots('storm').length, messages: slack.messages('storm').length, pending: server.service.slack!.outbound.pending(), jobs: await server.service.intake.jobs.counts({ open: true }) }));
    await sleep(100);
  }
  await server.service.intake.drain();
  const incidents = await repo.list({ limit: 100 });
  assert.equal(incidents.length, 10);
  assert.equal(incidents.reduce((sum, incident) => sum + incident.alertsTotal, 0), 500);
  assert.equal(slack.roots('storm').length, 10, slack.transcript('storm'));
  assert.equal(await new ChatMessageRepo(server.service.store.db).countRoots(), 10);
  // One reply per key: retrieval and plan per incident, never twice.
  for (const root of slack.roots('storm')) assert.equal(slack.replies('storm', root.ts).length, 2, slack.transcript('storm'));
  console.log(JSON.stringify(slack.roots('storm').map((root) => [root.postedAt - sent, ...slack.replies('storm', root.ts).map((reply) => reply.postedAt - root.postedAt)])));
  const max = slack.maxMessagesPerWindow('storm', 1000);
  const posts = slack.limiter.posts.filter((post) => post.method === 'chat.postMessage');
  console.log(JSON.stringify({ settledAfterS: Math.round((Date.now() - sent) / 1000), messages: posts.filter((p) => p.outcome === 'ok').length, rateLimited: posts.filter((p) => p.outcome !== 'ok').length, maxPerSecond: max, minGapMs: slack.minGapMs('storm'), rootEdits: slack.roots('storm').reduce((n, r) => n + r.revisions.length, 0) }));
  assert.ok(max <= 1, `max ${max} messages within a second`);
  assert.ok(slack.minGapMs('storm') >= 1000);
});
