import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { after, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { manualClock } from '../../../src/domain/clock.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { JobQueue, LeaseLostError } from '../../../src/store/queue/job-queue.js';
import { LocalNotifier, createNotifier } from '../../../src/store/queue/notifier.js';
import { PermanentJobError, Worker, type JobHandler } from '../../../src/store/queue/worker.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { describeOnBackends, freshStore, freshStoreConfig } from '../../support/databases.js';

const LEASE = 60_000;

function setup(store: Store, options: { maxAttempts?: number } = {}) {
  const clock = manualClock();
  const jobs = new JobQueue(store, clock, new LocalNotifier(), { maxAttempts: options.maxAttempts ?? 3, backoffBaseMs: 1_000, backoffMaxMs: 60_000 });
  return { clock, jobs };
}

describeOnBackends('durable job queue', (backend) => {
  it('hands each job to exactly one of several concurrent claimers', async () => {
    const store = await freshStore(backend);
    const { jobs } = setup(store);
    await store.writeTransaction((trx) => jobs.enqueueIn(trx, 'q', Array.from({ length: 60 }, (_, i) => ({ i }))));
    const claimers = Array.from({ length: 4 }, (_, n) => `worker-${n}`);
    const taken: string[] = [];
    await Promise.all(claimers.map(async (worker) => {
      for (;;) {
        const batch = await jobs.claim('q', worker, 7, LEASE);
        if (batch.length === 0) return;
        taken.push(...batch.map((job) => job.id));
      }
    }));
    assert.equal(taken.length, 60);
    assert.equal(new Set(taken).size, 60, 'no job was claimed twice');
  });

  it('claims in order of run_after and skips jobs not yet due or of another queue', async () => {
    const store = await freshStore(backend);
    const { jobs, clock } = setup(store);
    const later = await jobs.enqueue('q', { n: 'later' }, { runAfter: clock.now() + 5_000 });
    await jobs.enqueue('other', { n: 'other' });
    const first = await jobs.enqueue('q', { n: 'first' });
    clock.advance(1);
    const second = await jobs.enqueue('q', { n: 'second' });
    assert.deepEqual((await jobs.claim('q', 'w', 10, LEASE)).map((job) => job.id), [first, second]);
    clock.advance(5_000);
    assert.deepEqual((await jobs.claim('q', 'w', 10, LEASE)).map((job) => job.id), [later]);
  });

  it('rolls back the effects when the lease was lost before completion', async () => {
    const store = await freshStore(backend);
    const { jobs, clock } = setup(store);
    await store.db.schema.createTable('effects').addColumn('id', 'text').execute();
    await jobs.enqueue('q', {});
    const [job] = await jobs.claim('q', 'slow-worker', 1, 1_000);
    clock.advance(2_000);
    assert.deepEqual(await jobs.reap(), { released: 1, dead: 0 }, 'the expired lease is released');
    const [again] = await jobs.claim('q', 'fast-worker', 1, LEASE);
    assert.equal(again!.id, job!.id);
    assert.equal(again!.attempts, 2);
    await assert.rejects(
      store.writeTransaction(async (trx) => {
        await (trx as unknown as Store['db']).insertInto('effects' as never).values({ id: 'slow' } as never).execute();
        await jobs.completeIn(trx, job!, 'slow-worker');
      }),
      LeaseLostError,
    );
    await store.writeTransaction((trx) => jobs.completeIn(trx, again!, 'fast-worker'));
    const effects = await store.db.selectFrom('effects' as never).selectAll().execute();
    assert.equal(effects.length, 0, "the slow worker's effects were rolled back");
    assert.equal((await jobs.get(job!.id))!.state, 'completed');
  });

  it('retries with exponential backoff, then dead-letters, and replays', async () => {
    const store = await freshStore(backend);
    const { jobs, clock } = setup(store, { maxAttempts: 3 });
    const id = await jobs.enqueue('q', { n: 1 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await jobs.claim('q', 'w', 1, LEASE);
      assert.equal(job?.attempts, attempt);
      const outcome = await jobs.fail(job!, 'w', `boom ${attempt}`);
      assert.equal(outcome, attempt < 3 ? 'retry' : 'dead');
      const after = (await jobs.get(id))!;
      if (outcome === 'retry') {
        delays.push(after.runAfter - clock.now());
        assert.deepEqual(await jobs.claim('q', 'w', 1, LEASE), [], 'not due before its backoff');
        clock.set(after.runAfter);
      }
    }
    assert.deepEqual(delays, [1_000, 2_000]);
    const dead = await jobs.list({ state: 'dead' });
    assert.deepEqual(dead.map((job) => [job.id, job.lastError]), [[id, 'boom 3']]);
    assert.deepEqual(await jobs.replay([id.slice(0, 8)]), [id]);
    const [replayed] = await jobs.claim('q', 'w', 1, LEASE);
    assert.equal(replayed?.id, id);
    assert.equal(replayed?.attempts, 1, 'a replay starts with fresh attempts');
  });

  it('dead-letters a job whose worker dies on every attempt', async () => {
    const store = await freshStore(backend);
    const { jobs, clock } = setup(store, { maxAttempts: 2 });
    const id = await jobs.enqueue('q', {});
    for (let i = 0; i < 2; i++) {
      await jobs.claim('q', `crashing-${i}`, 1, 1_000);
      clock.advance(1_001);
      await jobs.reap();
    }
    const job = (await jobs.get(id))!;
    assert.equal(job.state, 'dead');
    assert.match(job.lastError!, /died or timed out on every attempt/);
  });

  it('reclaims at once the jobs of a dead process on this host, without waiting for the lease', async () => {
    const store = await freshStore(backend);
    const { jobs } = setup(store);
    const id = await jobs.enqueue('q', {});
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    await jobs.claim('q', `${hostname()}:${deadPid}:alerts:dead0000`, 1, 10 * 60_000);
    await jobs.claim('q', `${hostname()}:${process.pid}:alerts:alive`, 1, 10 * 60_000);
    assert.deepEqual(await jobs.reap(), { released: 1, dead: 0 });
    assert.equal((await jobs.get(id))!.state, 'pending');
  });

  it('a worker wakes on enqueue, processes, retries a failure, and stops cleanly', async () => {
    const store = await freshStore(backend);
    const clock = { now: () => Date.now() };
    const jobs = new JobQueue(store, clock, new LocalNotifier(), { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 100 });
    await store.db.schema.createTable('effects').addColumn('id', 'text').execute();
    let failures = 0;
    const handler: JobHandler<{ id: string; failFirst?: boolean }> = {
      mode: 'transactional',
      async run(job, trx) {
        if (job.payload.failFirst && failures++ === 0) throw new Error('transient');
        await trx.insertInto('effects' as never).values({ id: job.payload.id } as never).execute();
      },
    };
    // maxIdleMs is huge: only the enqueue wake (or a retry timer) can make it run.
    const worker = new Worker({ store, jobs, clock, log: silentLogger() }, handler, { queue: 'q', maxIdleMs: 3_600_000 });
    worker.start();
    after(() => worker.stop());
    await jobs.enqueue('q', { id: 'a' });
    await jobs.enqueue('q', { id: 'b', failFirst: true });
    const deadline = Date.now() + 10_000;
    let rows: unknown[] = [];
    while (Date.now() < deadline) {
      rows = await store.db.selectFrom('effects' as never).selectAll().execute();
      if (rows.length === 2) break;
      await sleep(10);
    }
    assert.deepEqual((rows as Array<{ id: string }>).map((row) => row.id).sort(), ['a', 'b']);
    await worker.stop();
    const counts = await jobs.counts();
    assert.deepEqual(counts.map((c) => [c.state, c.count]), [['completed', 2]]);
  });

  it('processes a batch in one transaction, and isolates a failing job without repeating the others', async () => {
    const store = await freshStore(backend);
    const clock = manualClock();
    const jobs = new JobQueue(store, clock, new LocalNotifier(), { maxAttempts: 3 });
    await store.db.schema.createTable('effects').addColumn('id', 'text').execute();
    const handler: JobHandler<{ id: string }> = {
      mode: 'transactional',
      async run(job, trx) {
        await trx.insertInto('effects' as never).values({ id: job.payload.id } as never).execute();
        if (job.payload.id === 'poison') throw new Error('cannot process poison');
      },
    };
    await store.writeTransaction((trx) => jobs.enqueueIn(trx, 'q', ['a', 'b', 'poison', 'c', 'd'].map((id) => ({ id }))));
    const worker = new Worker({ store, jobs, clock, log: silentLogger() }, handler, { queue: 'q', batchSize: 10 });
    await worker.drain();
    await worker.stop();
    const effects = (await store.db.selectFrom('effects' as never).selectAll().execute()) as Array<{ id: string }>;
    assert.deepEqual(effects.map((e) => e.id).sort(), ['a', 'b', 'c', 'd'], 'each good job took effect once; the poison job not at all');
    const poison = (await jobs.list({ state: 'pending' }))[0]!;
    assert.deepEqual([poison.payload, poison.attempts, poison.lastError], [{ id: 'poison' }, 1, 'cannot process poison']);
    assert.equal((await jobs.list({ state: 'completed' })).length, 4);
  });

  it('completes external jobs of a batch together and retries only the one that failed', async () => {
    const store = await freshStore(backend);
    const clock = manualClock();
    const jobs = new JobQueue(store, clock, new LocalNotifier(), { maxAttempts: 3 });
    const delivered: string[] = [];
    const worker = new Worker<{ id: string }>({ store, jobs, clock, log: silentLogger() }, {
      mode: 'external',
      async run(job) {
        if (job.payload.id === 'down') throw new Error('slack is down');
        delivered.push(job.payload.id);
      },
    }, { queue: 'q', batchSize: 10 });
    await store.writeTransaction((trx) => jobs.enqueueIn(trx, 'q', ['a', 'down', 'b'].map((id) => ({ id }))));
    await worker.drain();
    await worker.stop();
    assert.deepEqual(delivered, ['a', 'b']);
    assert.deepEqual((await jobs.list({ state: 'pending' })).map((job) => [job.payload, job.lastError]), [[{ id: 'down' }, 'slack is down']]);
    assert.equal((await jobs.list({ state: 'completed' })).length, 2);
  });

  it('dead-letters a permanent failure at once', async () => {
    const store = await freshStore(backend);
    const clock = manualClock();
    const jobs = new JobQueue(store, clock, new LocalNotifier(), { maxAttempts: 5 });
    const worker = new Worker({ store, jobs, clock, log: silentLogger() }, { mode: 'external', run: async () => { throw new PermanentJobError('not JSON'); } }, { queue: 'q' });
    const id = await jobs.enqueue('q', {});
    await worker.drain();
    await worker.stop();
    const job = (await jobs.get(id))!;
    assert.deepEqual([job.state, job.attempts, job.lastError], ['dead', 1, 'not JSON']);
  });

  it('gives back the unstarted part of its batch when stopped', async () => {
    const store = await freshStore(backend);
    const clock = manualClock();
    const jobs = new JobQueue(store, clock, new LocalNotifier());
    let runs = 0;
    let stopped: Promise<void> | undefined;
    const worker: Worker = new Worker({ store, jobs, clock, log: silentLogger() }, {
      mode: 'external',
      async run() {
        runs++;
        // SIGTERM arrives while the first job of a batch of five is in hand.
        stopped = worker.stop();
      },
    }, { queue: 'q', batchSize: 10 });
    await store.writeTransaction((trx) => jobs.enqueueIn(trx, 'q', Array.from({ length: 5 }, () => ({}))));
    worker.start();
    while (!stopped) await sleep(5);
    await stopped;
    assert.equal(runs, 1, 'only the job in hand ran');
    const counts = Object.fromEntries((await jobs.counts()).map((c) => [c.state, c.count]));
    assert.deepEqual(counts, { completed: 1, pending: 4 });
    const pending = await jobs.list({ state: 'pending' });
    assert.ok(pending.every((job) => job.attempts === 0), 'a release does not count as an attempt');
  });

  if (backend === 'postgres') {
    it('wakes a worker on another connection (as on another replica) through LISTEN/NOTIFY', async () => {
      const config = await freshStoreConfig('postgres');
      const producerStore = await openStore(config);
      const consumerStore = await openStore(config);
      after(() => producerStore.close());
      after(() => consumerStore.close());
      const clock = { now: () => Date.now() };
      const notifier = await createNotifier(config, silentLogger());
      after(() => notifier.close());
      const consumerJobs = new JobQueue(consumerStore, clock, notifier);
      // The producer has no listener of its own: only NOTIFY can reach the consumer.
      const producerJobs = new JobQueue(producerStore, clock, new LocalNotifier());
      const done: string[] = [];
      const worker = new Worker({ store: consumerStore, jobs: consumerJobs, clock, log: silentLogger() }, { mode: 'external', run: async (job) => void done.push(job.id) }, { queue: 'q', maxIdleMs: 3_600_000 });
      worker.start();
      after(() => worker.stop());
      await sleep(100);
      const id = await producerJobs.enqueue('q', {});
      const deadline = Date.now() + 10_000;
      while (!done.includes(id) && Date.now() < deadline) await sleep(10);
      assert.deepEqual(done, [id]);
    });
  }
});
