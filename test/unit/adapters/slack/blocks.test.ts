import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../../../src/domain/incident.js';
import type { Plan } from '../../../../src/domain/plan.js';
import type { RetrievalResult } from '../../../../src/domain/retrieval.js';
import { incidentRoot } from '../../../../src/adapters/slack/blocks/incident-root.js';
import { capBlocks, LIMITS, longText, section, truncate } from '../../../../src/adapters/slack/blocks/limits.js';
import { planReply } from '../../../../src/adapters/slack/blocks/plan.js';
import { retrievalReply } from '../../../../src/adapters/slack/blocks/retrieval.js';
import { executionReply } from '../../../../src/adapters/slack/blocks/execution.js';
import { validateBlocks } from '../../../../src/sandbox/slack/block-kit.js';

const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'inc_0123456789', number: 12, groupKey: 'g', title: 'KubePodCrashLooping: pod web-1 is crash looping', severity: 'critical', service: 'checkout',
  source: 'alertmanager', state: 'open', openedAt: Date.UTC(2026, 0, 1), acknowledgedAt: null, mitigatingAt: null, resolvedAt: null, reopenedCount: 0,
  lastSignalAt: Date.UTC(2026, 0, 1), flapping: false, flappingSince: null, alertsTotal: 3, alertsFiring: 2, updatedAt: Date.UTC(2026, 0, 1), ...overrides,
});

const huge = 'x'.repeat(10_000);

function plan(actions: number, text = 'Restart the deployment'): Plan {
  return {
    version: 1, id: 'plan_abc', createdAt: 0, incidentId: 'inc_0123456789',
    signal: { source: 'alertmanager', fingerprint: 'f', status: 'firing', severity: 'critical' },
    summary: text.slice(0, 500), probableCause: huge.slice(0, 2000), confidence: { level: 'high', score: 0.9, reasons: [] } as never,
    evidence: [], actions: Array.from({ length: actions }, (_, i) => ({ kind: 'notify', message: `${text} step ${i} ${'y'.repeat(900)}` }) as never),
    risk: 'medium', rollback: Array.from({ length: 20 }, () => 'z'.repeat(1000)), verification: { windowSeconds: 600, condition: 'clears' },
    planner: { kind: 'deterministic' }, notes: Array.from({ length: 20 }, () => 'n'.repeat(1000)),
  };
}

describe('Slack Block Kit builders stay within Slack limits', () => {
  it('truncates long text and says how much was cut', () => {
    const cut = truncate(huge, LIMITS.sectionText);
    assert.ok(cut.length <= LIMITS.sectionText);
    assert.match(cut, /… \([\d,]+ more characters\)$/);
    const counted = Number(/\(([\d,]+) more/.exec(cut)![1]!.replace(/,/g, ''));
    assert.equal(cut.length - `… (${counted.toLocaleString('en-US')} more characters)`.length + counted, huge.length);
    assert.equal(truncate('short', 10), 'short');
  });

  it('caps a message at 50 blocks and counts what was left out', () => {
    const blocks = capBlocks(Array.from({ length: 80 }, (_, i) => section(`block ${i}`)));
    assert.equal(blocks.length, 50);
    assert.match(JSON.stringify(blocks[49]), /31 more blocks not shown/);
    assert.deepEqual(validateBlocks(blocks), []);
  });

  it('splits long text into valid sections', () => {
    const blocks = longText(`${'line of text\n'.repeat(2000)}`);
    assert.ok(blocks.length > 1);
    assert.deepEqual(validateBlocks(blocks), []);
  });

  it('renders a root Slack accepts, even with a huge title and many links', () => {
    const root = incidentRoot(incident({ title: huge }), { links: Array.from({ length: 30 }, (_, i) => ({ title: `dash ${i} ${huge}`, url: `https://grafana.example/d/${i}` })) });
    assert.deepEqual(validateBlocks(root.blocks), []);
    assert.ok(root.text.length <= LIMITS.fallbackText);
    assert.match(JSON.stringify(root.blocks), /\+25 more/);
  });

  it('says Resolved in the root of a resolved incident', () => {
    const root = incidentRoot(incident({ state: 'resolved', resolvedAt: Date.UTC(2026, 0, 1, 1) }), { links: [], stateBy: 'U123' });
    assert.match(root.text, /^Resolved: #12/);
    assert.match(JSON.stringify(root.blocks), /Resolved · #12/);
    assert.match(JSON.stringify(root.blocks), /<@U123>/);
  });

  it('renders an oversized plan within limits, buttons included', () => {
    const reply = planReply(plan(20), 'inc_0123456789', { canPropose: true });
    assert.deepEqual(validateBlocks(reply.blocks), []);
    const actions = reply.blocks.find((block) => block.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    assert.deepEqual(actions.elements.map((e) => e.action_id), ['propose_fix', 'acknowledge', 'resolve', 'snooze_1h']);
    assert.ok(actions.elements.every((e) => e.value === 'inc_0123456789'));
    assert.match(JSON.stringify(reply.blocks), /more characters/);
  });

  it('leaves out the propose button when GitHub is off', () => {
    const reply = planReply(plan(1), 'inc_1', { canPropose: false });
    assert.doesNotMatch(JSON.stringify(reply.blocks), /propose_fix/);
  });

  it('renders retrieval with scores and reasons, escaping untrusted text', () => {
    const hit = (i: number) => ({
      runbookId: `r${i}`, path: `k8s/<script>${i}.md`, root: '/r', title: `Runbook ${i} ${huge}`, passage: { headingPath: ['A'], text: huge, line: 1 },
      alerts: { declared: [], derived: [] }, services: [], tags: [], remediation: [], score: 0.5 + i / 100,
      matches: [{ route: 'exact' as const, score: 1, rank: 1, reason: `alert name = file name ${huge}` }], route: 'exact' as const,
    });
    const result: RetrievalResult = {
      decision: { kind: 'match', route: 'exact', reason: 'alert name "KubePodCrashLooping" = file name' }, runbooks: Array.from({ length: 10 }, (_, i) => hit(i)),
      evidence: { summaryCoverage: 1, descriptionCoverage: 1, score: 0.8, threshold: 0.3 },
      incidents: [{ collection: 'incidents', id: 'i1', title: 'Past crash loop', text: '', metadata: {}, score: 0.7, matches: [] }], ciFailures: [], tookMs: 12, warnings: [],
    };
    const reply = retrievalReply(result);
    assert.deepEqual(validateBlocks(reply.blocks), []);
    const json = JSON.stringify(reply.blocks);
    assert.match(json, /score 0\.50/);
    assert.match(json, /&lt;script&gt;/);
    assert.match(json, /Past crash loop/);
    assert.match(json, /\+5 more/);
  });

  it('renders a long execution note within limits', () => {
    const reply = executionReply({ title: 'Executed plan', outcome: 'succeeded', lines: Array.from({ length: 500 }, (_, i) => `action ${i} ok ${'w'.repeat(100)}`) });
    assert.deepEqual(validateBlocks(reply.blocks), []);
  });
});
