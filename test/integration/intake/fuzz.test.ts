import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { signPagerDutyBody } from '../../../src/adapters/alerts/pagerduty.js';
import { ALERT_SOURCE_NAMES, ALERT_SOURCES, type AlertSourceName } from '../../../src/adapters/alerts/sources.js';
import { alertmanagerBody, startIntakeServer } from '../../support/intake.js';

const RUNS = 10_000;
const CONCURRENCY = 16;
const SECRET = 'fuzz-pagerduty-secret';
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const VALID: Record<AlertSourceName, unknown> = {
  alertmanager: alertmanagerBody([{ name: 'A', fingerprint: 'a' }, { name: 'B' }]),
  grafana: { ...alertmanagerBody([{ name: 'G' }]), orgId: 1, state: 'alerting', title: 't', message: 'm' },
  pagerduty: { event: { id: 'e', event_type: 'incident.triggered', occurred_at: '2026-01-01T00:00:00Z', data: { id: 'P1', type: 'incident', title: 'x', status: 'triggered', service: { summary: 's' } } } },
  generic: { alerts: [{ title: 'x', severity: 'p1', labels: { a: 'b' }, startsAt: '2026-01-01T00:00:00Z' }] },
};

/** A JSON value of the wrong kind for wherever it lands. */
const junk = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 20 }), fc.constant([]), fc.constant({}), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ __proto__: { polluted: true } }), fc.constant('0001-01-01T00:00:00Z'));

/** Every path (as keys) inside a JSON value. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return [prefix];
}

function setAt(value: unknown, path: Array<string | number>, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

/** Whether pitcrew's own parser and schema accept the body: the generator keeps only those it must reject. */
function acceptable(source: AlertSourceName, body: string | Uint8Array): boolean {
  try {
    return ALERT_SOURCES[source].validate(JSON.parse(Buffer.from(body).toString('utf8'))).ok;
  } catch {
    return false;
  }
}

/**
 * Malformed bodies: broken JSON, wrong shapes, mutated valid payloads (a
 * field removed or of the wrong type), odd bytes, deep nesting, the occasional
 * giant. Mutations that happen to stay valid are filtered out.
 */
function malformed(source: AlertSourceName): fc.Arbitrary<string | Uint8Array> {
  return anyBody(source).filter((body) => !acceptable(source, body));
}

function anyBody(source: AlertSourceName): fc.Arbitrary<string | Uint8Array> {
  const valid = VALID[source];
  const text = JSON.stringify(valid);
  const allPaths = paths(valid).filter((path) => path.length > 0);
  return fc.oneof(
    { weight: 300, arbitrary: fc.tuple(fc.nat({ max: text.length - 1 })).map(([cut]) => text.slice(0, cut)) },
    { weight: 300, arbitrary: fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '\u0000', '\n')).map(([at, c]) => text.slice(0, at) + c + text.slice(at)) },
    { weight: 400, arbitrary: fc.tuple(fc.constantFrom(...allPaths), junk, fc.boolean()).map(([path, value, remove]) => JSON.stringify(setAt(valid, path, value, remove))) },
    { weight: 200, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 200, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 200, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 100, arbitrary: fc.nat({ max: 20_000 }).map((depth) => `${'{"alerts":'.repeat(1)}${'['.repeat(depth)}${']'.repeat(depth)}}`) },
    { weight: 100, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '"alerts"', '{"alerts": null}', '{"alerts": [null]}', '{"event": []}', '{"__proto__": {"alerts": []}}') },
    // ~0.1% of runs: a body over the 1 MB limit.
    { weight: 2, arbitrary: fc.constant(`{"alerts": "${'z'.repeat(1_000_001)}", "event": 1}`) },
  );
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

describe(`fuzzing the alert endpoints (fast-check seed ${SEED}; rerun with FUZZ_SEED=${SEED})`, () => {
  for (const source of ALERT_SOURCE_NAMES) {
    it(`${source}: ${RUNS} malformed payloads are all rejected with 4xx (never 5xx), store nothing, and leave it healthy`, async () => {
      const server = await startIntakeServer({ env: { PAGERDUTY_WEBHOOK_SECRET: SECRET } });
      const bodies = fc.sample(malformed(source), { numRuns: RUNS, seed: SEED + source.length });
      const statuses = new Map<number, number>();
      await pool(bodies, CONCURRENCY, async (body) => {
        const raw = Buffer.from(body);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        // PagerDuty bodies are signed (mostly correctly), so the parser is what gets fuzzed.
        if (source === 'pagerduty') headers['x-pagerduty-signature'] = raw.length % 17 === 0 ? 'v1=00' : signPagerDutyBody(raw, SECRET);
        const response = await fetch(`${server.base}/alerts/${source}`, { method: 'POST', headers, body: raw });
        const answer = (await response.json()) as { error?: string; path?: string };
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok([400, 401, 413].includes(response.status), `${response.status} ${JSON.stringify(answer)} for ${raw.subarray(0, 200).toString()}`);
        if (response.status === 400) assert.match(answer.path ?? '', /^\$/, 'a 400 names the JSON path');
      });
      const stored = (await server.service.intake.jobs.counts()).reduce((sum, c) => sum + c.count, 0);
      assert.equal(stored, 0, 'nothing from a rejected body was stored');
      // Still healthy, and still accepting good alerts.
      assert.equal((await fetch(`${server.base}/healthz`)).status, 200);
      const raw = JSON.stringify(VALID[source]);
      const good = await fetch(`${server.base}/alerts/${source}`, { method: 'POST', body: raw, headers: source === 'pagerduty' ? { 'x-pagerduty-signature': signPagerDutyBody(raw, SECRET) } : {} });
      assert.equal(good.status, 202);
      await server.service.intake.drain();
      assert.deepEqual(await server.service.intake.jobs.list({ state: 'dead' }), []);
      console.log(`# fuzz ${source}: ${RUNS} payloads, ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    });
  }
});
