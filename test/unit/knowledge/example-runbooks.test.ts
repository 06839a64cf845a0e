import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Action, ACTION_KINDS } from '../../../src/domain/action.js';
import { parseFrontMatter } from '../../../src/knowledge/runbooks/front-matter.js';
import { loadRunbooks } from '../../../src/knowledge/runbooks/load-runbooks.js';
import { repoRoot } from '../../support/processes.js';

/** Fills `{{labels.x}}` the simplest way, to check steps become valid Actions with real values. */
function fill(value: unknown, labels: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{\s*labels\.([\w-]+)\s*\}\}/g, (_, key: string) => labels[key] ?? `missing-${key}`);
  if (Array.isArray(value)) return value.map((item) => fill(item, labels));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, labels)]));
  return value;
}

describe('example runbooks in runbooks/', () => {
  const loaded = loadRunbooks([join(repoRoot, 'runbooks')]);

  it('all parse, none skipped, and cover the issue list', () => {
    assert.deepEqual(loaded.skipped, []);
    assert.deepEqual(loaded.warnings, []);
    const titles = loaded.runbooks.map((runbook) => runbook.title.toLowerCase()).join(' | ');
    for (const topic of ['crash-looping', 'oomkilled', 'disk', 'certificate', 'roll back', 'error rate', 'flaky', 'lockfile']) assert.match(titles, new RegExp(topic));
  });

  it('between them use every front-matter feature, several action kinds and {{labels.x}} placeholders', () => {
    const runbooks = loaded.runbooks;
    assert.ok(runbooks.some((runbook) => runbook.declaredAlerts.length > 0));
    assert.ok(runbooks.some((runbook) => runbook.services.length > 0));
    assert.ok(runbooks.some((runbook) => runbook.tags.length > 0));
    const keys = new Set(runbooks.flatMap((runbook) => {
      const front = parseFrontMatter(readFileSync(join(runbook.root, runbook.path), 'utf8'));
      return front.ok && front.frontMatter ? Object.entries(front.frontMatter).filter(([, value]) => (Array.isArray(value) ? value.length > 0 : value !== undefined)).map(([key]) => key) : [];
    }));
    assert.deepEqual([...keys].sort(), ['alerts', 'remediation', 'services', 'tags', 'title']);
    const kinds = new Set(runbooks.flatMap((runbook) => runbook.remediation.map((step) => step.kind)));
    assert.ok(kinds.size >= 6, `kinds used: ${[...kinds].join(', ')}`);
    assert.ok(runbooks.some((runbook) => JSON.stringify(runbook.remediation).includes('{{labels.')));
    assert.ok(runbooks.some((runbook) => runbook.remediation.length === 0 && runbook.declaredAlerts.length === 0), 'one plain-markdown runbook');
    assert.ok([...kinds].every((kind) => (ACTION_KINDS as readonly string[]).includes(kind)));
  });

  it('have remediation steps that become valid Actions once placeholders are filled', () => {
    const labels = { namespace: 'payments', pod: 'api-7d9', deployment: 'api', container: 'api', instance: 'node-1', mountpoint: '/var', name: 'api-tls', previous_version: 'v1.2.3', repository: 'acme/api', run_id: '123', test: 'test_checkout', branch: 'main' };
    for (const runbook of loaded.runbooks) {
      for (const step of runbook.remediation) {
        const parsed = Action.safeParse(fill(step, labels));
        assert.ok(parsed.success, `${runbook.path} ${step.kind}: ${parsed.success ? '' : parsed.error.message}`);
      }
    }
  });
});
