import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, it } from 'node:test';
import { pino } from 'pino';
import { mountGitHub } from '../../../src/adapters/github/mount.js';
import { systemClock } from '../../../src/domain/clock.js';
import { HttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { createRateLimiter } from '../../../src/ops/rate-limit/limiter.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { DeliveryClaims } from '../../../src/store/delivery-claims.js';
import { describeOnBackends, freshStore } from '../../support/databases.js';
import { alertPlan, githubPolicy } from '../../support/github.js';
import { REPO, pitcrewOnFake } from '../../support/github-app.js';

const gateLines = (logs: Array<Record<string, unknown>>) => logs.filter((line) => typeof line.msg === 'string' && /^gate (passed|failed)$/.test(line.msg)).length;
const skipped = (logs: Array<Record<string, unknown>>) => logs.filter((line) => line.msg === 'github delivery already handled or being handled; skipped').length;

describeOnBackends('a GitHub delivery is handled once across replicas', (backend) => {
  it('runs the handlers for a delivery once, however often and wherever it arrives, and still handles new ones', async () => {
    const store = await freshStore(backend);
    // Replica A: the harness; replica B: a second app mount on its own server, sharing the store.
    const env = await pitcrewOnFake({ deliveries: new DeliveryClaims(store, systemClock, 'replica-a') });
    const http = new HttpServer(silentLogger(), createMetrics({ defaultMetrics: false }));
    const portB = await http.listen(0, '127.0.0.1');
    const logsB: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logsB.push(JSON.parse(line) as Record<string, unknown>);
      done();
    } });
    const limiter = createRateLimiter({ name: `test-b-${portB}`, perMinute: 60_000 });
    await mountGitHub(http, { appId: env.app.id, privateKey: env.app.privateKey!, webhookSecret: 'pitcrew-webhook-secret', apiUrl: env.fake.url }, {
      log: pino({ level: 'info' }, sink), policy: githubPolicy(), redactor: createRedactor(), dryRun: false, limiter, retries: false, throttle: false,
      deliveries: new DeliveryClaims(store, systemClock, 'replica-b'),
    });
    after(async () => {
      await http.close();
      await limiter.stop();
    });

    // 1. An approval reaches replica A: the gate runs once.
    const outcome = await env.github.forge.propose({ repo: REPO, plan: alertPlan() });
    assert.equal(outcome.status, 'opened');
    await env.fake.settled();
    await env.fake.as('carol').approve(REPO, outcome.number);
    await env.fake.settled();
    const review = env.fake.webhooks.list('pull_request_review', 'submitted').at(-1)!;
    const handledByA = gateLines(env.logs);
    assert.ok(handledByA >= 2, 'A evaluated the gate on the new PR and on the approval');

    // 2. The same delivery again, three times at once, to A: acknowledged, not handled.
    const again = await env.fake.webhooks.redeliver(review.id, { times: 3, concurrent: true });
    assert.deepEqual(again.map((attempt) => attempt.status), [200, 200, 200]);
    await env.fake.settled();
    assert.equal(gateLines(env.logs), handledByA, 'no handler ran again on A');
    assert.equal(skipped(env.logs), 3);

    // 3. ...and to replica B (a load balancer may send it anywhere): skipped there too.
    env.fake.setWebhook(env.app, { url: `http://127.0.0.1:${portB}/api/github/webhooks`, secret: 'pitcrew-webhook-secret' });
    const onB = await env.fake.webhooks.redeliver(review.id);
    assert.equal(onB[0]!.status, 200);
    await env.fake.settled();
    assert.equal(gateLines(logsB), 0, 'B ran no handler for a delivery A handled');
    assert.equal(skipped(logsB), 1);

    // 4. A new delivery reaching B is B's to handle.
    await env.fake.as('dave').approve(REPO, outcome.number);
    await env.fake.settled();
    assert.equal(gateLines(logsB), 1, 'B handled the new approval');
    assert.equal(env.gate(outcome.headSha)!.state, 'success');

    // 5. A forged copy is still refused with 400, and claims nothing.
    const forged = await env.fake.webhooks.forge(review.id);
    assert.equal(forged.status, 400);
  });
});
