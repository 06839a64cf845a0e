import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_MATCHING_RUNBOOK } from '../../../src/domain/retrieval.js';
import { createChromaClient } from '../../../src/knowledge/chroma/client.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { alertSignal, fixtureRunbooks, hashedModel, startTestChroma, testKnowledge, writeRunbook } from '../../support/knowledge.js';

describe('hybrid retriever (real Chroma)', () => {
  let url: string;
  let stop: () => Promise<void>;
  let knowledge: Knowledge;
  let dir: string;
  before(async () => {
    ({ url, stop } = await startTestChroma());
    dir = fixtureRunbooks();
    writeRunbook(dir, 'services/payments-crashloop.md', [
      '---',
      'title: Payments API crash loop',
      'alerts: [KubePodCrashLooping]',
      'services: [payments-api]',
      'tags: [kubernetes]',
      'remediation:',
      '  - kind: kubernetes.rollout_restart',
      '    namespace: "{{labels.namespace}}"',
      '    name: "{{labels.deployment}}"',
      '---',
      '# Payments API crash loop',
      '',
      '## Diagnosis',
      '',
      'Read the previous logs of the crashing container.',
    ].join('\n'));
    writeRunbook(dir, 'generic-crashloop.md', '# Pods restarting\n\nA pod keeps restarting in CrashLoopBackOff; see KubePodCrashLooping for the payments service.');
    writeRunbook(dir, 'queues.md', '# Queue troubleshooting\n\nMessage queues back up when consumers are slow or stuck on a poison message. Related alert: OrdersQueueBacklog.');
    knowledge = await testKnowledge(url, [dir]);
    await knowledge.indexRunbooks();
  });
  after(() => stop());

  it('routes exactly on a declared alert name first, with the runbook fields the planner needs', async () => {
    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'KubePodCrashLooping', summary: 'Pod is crash looping', labels: { namespace: 'payments' } }) });
    assert.equal(result.decision.kind, 'match');
    assert.equal(result.decision.kind === 'match' && result.decision.route, 'exact');
    const [top] = result.runbooks;
    assert.equal(top!.path, 'services/payments-crashloop.md');
    assert.equal(top!.route, 'exact');
    assert.match(top!.matches.find((match) => match.route === 'exact')!.reason, /declared in services\/payments-crashloop\.md/);
    assert.deepEqual(top!.alerts.declared, ['KubePodCrashLooping']);
    assert.deepEqual(top!.services, ['payments-api']);
    assert.deepEqual(top!.tags, ['kubernetes']);
    assert.deepEqual(top!.remediation, [{ kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: '{{labels.deployment}}' }]);
    assert.equal(top!.title, 'Payments API crash loop');
    assert.ok(top!.passage.text.length > 0);
    // The runbook that only mentions the alert comes next, by the mention route.
    assert.equal(result.runbooks[1]!.path, 'generic-crashloop.md');
    assert.equal(result.runbooks[1]!.route, 'mention');
  });

  it('takes a runbook that only names the alert when the content agrees, and abstains when it does not', async () => {
    const agrees = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'OrdersQueueBacklog', summary: 'Orders queue backs up: consumers are slow' }) });
    assert.equal(agrees.decision.kind === 'match' && agrees.decision.route, 'mention');
    assert.equal(agrees.runbooks[0]!.path, 'queues.md');
    const disagrees = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'OrdersQueueBacklog', summary: 'TLS handshake failures from the orders gateway' }) });
    assert.equal(disagrees.decision.kind, 'abstain');
    assert.match(disagrees.decision.reason, /only queues\.md names the alert/);
  });

  it('routes on the file name of plain markdown, case and separators aside', async () => {
    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'redis-memory-high', summary: 'something' }) });
    assert.equal(result.runbooks[0]!.path, 'RedisMemoryHigh.md');
    assert.match(result.runbooks[0]!.matches[0]!.reason, /file name RedisMemoryHigh\.md/);
  });

  it('replaces an exact match on a "moved to" stub by the page it points to', async () => {
    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'IngressLatencyHigh', summary: 'Ingress latency is high' }) });
    assert.equal(result.runbooks[0]!.path, 'network/IngressHighLatency.md');
    assert.equal(result.runbooks[0]!.via, 'network/OldIngressLatency.md');
  });

  it('finds a runbook by content when the alert has no name, with every route and its score', async () => {
    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'Postgres replica replay is far behind the primary', description: 'WAL replay delay of 300 seconds on the standby' }) });
    assert.equal(result.decision.kind, 'match');
    const top = result.runbooks[0]!;
    assert.equal(top.path, 'database/PostgresReplicationLagHigh.md');
    assert.deepEqual(new Set(top.matches.map((match) => match.route)), new Set(['lexical', 'title', 'vector']));
    assert.ok(result.evidence.score >= 0.3);
    assert.deepEqual(top.passage.headingPath.slice(0, 1), ['PostgresReplicationLagHigh']);
  });

  it('abstains with "no matching runbook" and the scores when the evidence is weak', async () => {
    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'VaultSealed', summary: 'Vault is sealed', description: 'The HashiCorp Vault server is sealed and cannot serve secrets.' }) });
    assert.equal(result.decision.kind, 'abstain');
    assert.match(result.decision.reason, new RegExp(`^${NO_MATCHING_RUNBOOK}: .* covers 0\\.\\d+ of the alert text \\(threshold 0\\.3\\)`));
    assert.ok(result.evidence.score < 0.3);
    assert.ok(result.runbooks.length > 0, 'nearest candidates are still shown');
  });

  it('boosts runbooks that declare the alert service, and filters by service or tag on request', async () => {
    const signal = alertSignal({ summary: 'container restarting crash loop', service: 'payments-api' });
    const boosted = await knowledge.retriever.retrieve({ signal });
    assert.equal(boosted.runbooks[0]!.path, 'services/payments-crashloop.md');
    assert.ok(boosted.runbooks[0]!.matches.some((match) => match.route === 'service'));
    const filtered = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'redis memory' }), services: ['payments-api'] });
    assert.deepEqual(filtered.runbooks.map((hit) => hit.path), ['services/payments-crashloop.md']);
    const tagged = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'redis memory' }), tags: ['nope'] });
    assert.deepEqual(tagged.runbooks, []);
    assert.equal(tagged.decision.kind, 'abstain');
  });

  it('writes and searches incident and CI-failure memory, replacing by id and redacting first', async () => {
    const { incidents, ciFailures } = knowledge;
    await incidents.write({ id: 'inc-1', title: 'Orders DB ran out of connections', text: 'A leaked transaction pool in orders-api held 400 connections; restarting orders-api freed them.', metadata: { service: 'orders-api', resolvedAt: 1 } });
    await incidents.write({ id: 'inc-2', title: 'Kafka lag on billing', text: 'Billing consumers were stuck on a poison message; skipped it.' });
    await ciFailures.write({ id: 'acme/api#77', title: 'npm ci lockfile mismatch', text: 'package-lock.json out of sync after dependabot merge', metadata: { repo: 'acme/api' } });
    await assert.rejects(incidents.write({ id: '', title: 'x', text: 'y' }), /incidents record field "id"/);

    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'Postgres connections exhausted on orders-db', description: 'too many clients already' }) });
    assert.equal(result.incidents[0]?.id, 'inc-1');
    assert.deepEqual(result.incidents[0]?.metadata, { service: 'orders-api', resolvedAt: 1 });
    const ci = await ciFailures.search('lockfile out of sync npm ci', 3);
    assert.equal(ci[0]?.id, 'acme/api#77');

    await incidents.write({ id: 'inc-2', title: 'Kafka lag on billing', text: 'Replaced: consumers scaled out to 12.' });
    assert.equal(incidents.size, 2);
    assert.match(incidents.get('inc-2')!.text, /scaled out/);

    const redacting = await testKnowledge(url, [dir], { redact: (text) => text.replace(/sk-[A-Za-z0-9]+/g, '[redacted]') });
    assert.equal(redacting.incidents.size, 2, 'records survive a reopen (Chroma holds them)');
    assert.equal(await redacting.incidents.remove('inc-2'), true);
    await redacting.incidents.write({ id: 'inc-3', title: 'Leaked key sk-AbC123 in logs', text: 'The token sk-AbC123 was printed by the deploy job.' });
    const stored = await createChromaClient(url).getCollection({ name: 'incidents' }).then((collection) => collection.get({ ids: ['inc-3'], include: ['documents', 'metadatas'] as never }));
    assert.doesNotMatch(JSON.stringify(stored), /sk-AbC123/);
    assert.match(stored.documents[0] ?? '', /\[redacted\]/);
  });

  it('keeps incident memory when the embedding model changes (re-embedded, not dropped)', async () => {
    const before = await testKnowledge(url, [dir]);
    await before.incidents.write({ id: 'inc-9', title: 'Certificate expired on ingress', text: 'cert-manager ACME challenge failed; fixed DNS.' });
    const count = before.incidents.size;
    const after = await testKnowledge(url, [dir], { embedding: hashedModel(128) });
    assert.equal(after.incidents.size, count);
    const hits = await after.incidents.search('certificate expired ACME', 1);
    assert.equal(hits[0]?.id, 'inc-9');
  });
});
