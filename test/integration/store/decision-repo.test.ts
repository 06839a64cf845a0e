import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { plan } from '../../../src/planner/plan.js';
import { DecisionRepo } from '../../../src/store/decision-repo.js';
import { describeOnBackends, freshStore } from '../../support/databases.js';
import { context, policy } from '../../support/planning.js';

describeOnBackends('decision log', (backend) => {
  it('stores a decision and reads it back intact', async () => {
    const store = await freshStore(backend);
    const repo = new DecisionRepo(store.db);
    const { decision } = await plan(context(), { policy: policy(), redactor: createRedactor(), clock: manualClock(Date.UTC(2030, 0, 1)) });
    await repo.save(decision);
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    assert.deepEqual(json(await repo.get(decision.id)), json(decision));
    const [listed] = await repo.listRecent(5);
    assert.deepEqual(listed, { id: decision.id, createdAt: Date.UTC(2030, 0, 1), planId: decision.planId, fingerprint: 'a1b2c3d4e5f60718', planner: 'deterministic', model: null, risk: 'medium' });
    const row = await store.db.selectFrom('plan_decisions').selectAll().executeTakeFirstOrThrow();
    assert.equal(typeof row.created_at, 'number');
    assert.equal(row.allowed, 1);
  });

  it('lists newest first and filters by fingerprint; a missing id is a clear error', async () => {
    const store = await freshStore(backend);
    const repo = new DecisionRepo(store.db);
    const clock = manualClock(Date.UTC(2030, 0, 1));
    for (const fingerprint of ['aaa', 'bbb', 'aaa']) {
      clock.advance(1000);
      const { decision } = await plan(context({ signal: { ...context().signal, fingerprint } }), { policy: policy(), redactor: createRedactor(), clock });
      await repo.save(decision);
    }
    const all = await repo.listRecent(10);
    assert.deepEqual(all.map((d) => d.fingerprint), ['aaa', 'bbb', 'aaa']);
    assert.ok(all[0]!.createdAt > all[2]!.createdAt);
    assert.equal((await repo.listRecent(10, 'aaa')).length, 2);
    await assert.rejects(repo.require('dec_missing'), /No decision dec_missing in the decision log/);
  });
});
