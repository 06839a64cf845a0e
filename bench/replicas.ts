/**
 * bench/replicas: sustained alert throughput of 1 and 2 `pitcrew serve`
 * replicas on one Postgres, in the same run (the 1-replica figure is the
 * baseline the 2-replica one is compared to).
 *
 * For each replica count: a fresh Postgres schema, N replicas from source (no
 * Chroma, no GitHub), a warm-up, then a closed loop of CONCURRENCY requests
 * (one alert each, unique fingerprints in 100 groups) spread round-robin over
 * the replicas for SECONDS, and the time until the shared inbox has drained.
 * "Sustained" is what was processed, not only acked: alerts / (load + drain).
 *
 * The machine's cores are shared by every replica, Postgres and this load
 * generator, so the ratio shows coordination overhead (claims, serialization
 * retries) more than horizontal scale; on separate nodes the replicas do not
 * compete for CPU.
 *
 * Postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test. Redis (REDIS_URL passed to the
 * replicas) is not on this path: no GitHub writes happen.
 *
 * Usage: node --import tsx bench/replicas.ts [seconds=10] [concurrency=32]
 * Prints one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../test/support/ports.js';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.argv[2] ?? 10);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const TOKEN = 'bench-replicas-token-0123456789';
const DATABASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

let sequence = 0;

function body(i: number): string {
  return JSON.stringify({
    version: '4', groupKey: `{}:{alertname="Bench${i % 100}"}`, status: 'firing', receiver: 'bench', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
    alerts: [{ status: 'firing', labels: { alertname: `Bench${i % 100}`, severity: 'warning', service: 'bench', instance: `host-${i}` }, annotations: { summary: `bench alert ${i}` }, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom', fingerprint: `bench-${i}` }],
  });
}

function send(agent: Agent, port: number, i: number): Promise<boolean> {
  const text = body(i);
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/alerts/alertmanager', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), authorization: `Bearer ${TOKEN}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 202));
    });
    req.on('error', () => done(false));
    req.end(text);
  });
}

async function closedLoop(ports: number[], seconds: number) {
  const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  let acked = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
    const replica = worker % ports.length;
    while (performance.now() < until) {
      if (await send(agents[replica]!, ports[replica]!, sequence++)) acked++;
      else errors++;
    }
  }));
  agents.forEach((agent) => agent.destroy());
  return { acked, errors, ms: performance.now() - started };
}

async function openJobs(client: pg.Client, schema: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${schema}.jobs where queue = 'alerts' and state in ('pending', 'active')`);
  return Number(rows[0]!.n);
}

async function drain(client: pg.Client, schema: string): Promise<number> {
  const started = performance.now();
  const deadline = started + 10 * 60_000;
  while ((await openJobs(client, schema)) > 0) {
    if (performance.now() > deadline) throw new Error('the inbox did not drain within 10 minutes');
    await sleep(50);
  }
  return performance.now() - started;
}

/** CPU time (user + system) a process has used, ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / 100;
}

async function startReplica(url: string): Promise<{ child: ChildProcess; port: number; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pitcrew-bench-replicas-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PITCREW_FROM_SOURCE: '1', PORT: String(port), PITCREW_ALERT_TOKEN: TOKEN, CHROMA_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'warn' as const, DATABASE_URL: url };
  const child = spawn(process.execPath, [join(root, 'bin/pitcrew.js'), 'serve'], { cwd: dir, env, stdio: 'ignore' });
  const agent = new Agent({ keepAlive: false });
  const deadline = Date.now() + 120_000;
  while (!(await send(agent, port, sequence++))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`replica on port ${port} did not come up`);
    await sleep(100);
  }
  return { child, port, dir };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const exited = new Promise((r) => child.once('exit', r));
  // A replica still waiting for knowledge to open may take a while; do not wait for it forever.
  if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === false) child.kill('SIGKILL');
}

async function run(replicas: number) {
  const schema = `pitcrew_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(DATABASE);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const started = [];
  try {
    // One after the other: the first applies the migrations.
    for (let i = 0; i < replicas; i++) started.push(await startReplica(url.toString()));
    const ports = started.map((r) => r.port);
    await closedLoop(ports, 2); // warm-up
    await drain(admin, schema);
    const cpuBefore = started.map((r) => cpuMs(r.child.pid!));
    const load = await closedLoop(ports, SECONDS);
    const drainMs = await drain(admin, schema);
    const cpu = started.map((r, i) => cpuMs(r.child.pid!) - cpuBefore[i]!);
    const { rows } = await admin.query<{ n: string }>(`select count(distinct fingerprint) as n from ${schema}.incident_alerts`);
    return {
      replicas,
      acked: load.acked,
      errors: load.errors,
      acked_per_s: round(load.acked / (load.ms / 1_000)),
      drain_after_ms: round(drainMs),
      sustained_alerts_per_s: round(load.acked / ((load.ms + drainMs) / 1_000)),
      server_cpu_ms_per_alert: round(cpu.reduce((a, b) => a + b, 0) / Math.max(1, load.acked), 3),
      alerts_attached: Number(rows[0]!.n),
    };
  } finally {
    for (const replica of started) {
      await stop(replica.child);
      rmSync(replica.dir, { recursive: true, force: true });
    }
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

const one = await run(1);
const two = await run(2);
console.log(JSON.stringify({
  bench: 'replicas',
  store: 'postgres',
  seconds: SECONDS,
  concurrency: CONCURRENCY,
  cores: availableParallelism(),
  load_avg_1m: round(loadavg()[0]!, 2),
  one_replica: one,
  two_replicas: two,
  ratio_two_to_one: round(two.sustained_alerts_per_s / one.sustained_alerts_per_s, 2),
}, null, 2));
