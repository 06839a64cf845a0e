/**
 * bench/intake: alert intake driven over HTTP from this (second) process.
 *
 * Starts `pitcrew serve` (from source, embedded SQLite unless DATABASE_URL is
 * set, no Chroma) and, as the same-run baseline, Debian's
 * prometheus-alertmanager, then drives each with the same load: one alert per
 * request, unique fingerprints in 100 groups.
 *  - max: closed loop, CONCURRENCY requests in flight for SECONDS: sustained
 *    acks/s and ack latency; for pitcrew also how long the inbox takes to drain
 *    (processing keeps up or not) and the processed alerts/s.
 *  - rate: open loop at RATE alerts/s for SECONDS: ack latency at the target
 *    load, timed from each request's scheduled start (no coordinated omission).
 * RSS of each server is sampled during the run, and its CPU time per alert is
 * reported: on a shared machine that figure stays comparable when wall-clock
 * throughput does not.
 *
 * Usage: node --import tsx bench/intake.ts [seconds=10] [rate=1000] [concurrency=32]
 * Prints one JSON object.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitForStatus } from '../test/support/ports.js';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.argv[2] ?? 10);
const RATE = Number(process.argv[3] ?? 1_000);
const CONCURRENCY = Number(process.argv[4] ?? 32);
const TOKEN = 'bench-intake-token-0123456789';
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Target {
  name: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  body(i: number): string;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(latencies: number[], errors: number, elapsedMs: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    acked: latencies.length,
    errors,
    alerts_per_s: round(latencies.length / (elapsedMs / 1_000)),
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    max_ms: round(sorted.at(-1) ?? NaN, 2),
  };
}

function send(agent: Agent, target: Target, i: number): Promise<boolean> {
  const body = target.body(i);
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port: target.port, path: target.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode! >= 200 && res.statusCode! < 300));
    });
    req.on('error', () => done(false));
    req.end(body);
  });
}

let sequence = 0;

async function closedLoop(target: Target, seconds: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      if (await send(agent, target, sequence++)) latencies.push(performance.now() - t0);
      else errors++;
    }
  }));
  const elapsed = performance.now() - started;
  agent.destroy();
  return { ...summary(latencies, errors, elapsed), concurrency };
}

async function openLoop(target: Target, seconds: number, rate: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(seconds * rate);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let n = 0; n < total; n++) {
    const scheduled = started + (n * 1_000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    // From the scheduled start (a late send counts its wait: no coordinated omission), or the actual one if early.
    const t0 = Math.min(scheduled, performance.now());
    inFlight.push(send(agent, target, sequence++).then((ok) => {
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }));
  }
  await Promise.all(inFlight);
  const elapsed = performance.now() - started;
  agent.destroy();
  return { ...summary(latencies, errors, elapsed), target_rate: rate };
}

async function pendingJobs(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let pending = 0;
  for (const match of text.matchAll(/^pitcrew_queue_jobs\{queue="alerts",state="(pending|active)"\} (\d+)/gm)) pending += Number(match[2]);
  return pending;
}

async function drainMs(port: number): Promise<number> {
  const started = performance.now();
  while ((await pendingJobs(port)) > 0) await sleep(50);
  return performance.now() - started;
}

/** CPU time (user + system) a process has used, ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / 100; // utime, stime in USER_HZ (100)
}

/** Server CPU per acked alert during a phase: comparable even when the machine is shared. */
async function withCpu<T extends { acked: number }>(pid: number, phase: () => Promise<T>, settle?: () => Promise<number>) {
  const before = cpuMs(pid);
  const result = await phase();
  const drain = settle ? await settle() : undefined;
  const used = cpuMs(pid) - before;
  return { ...result, ...(drain === undefined ? {} : { drain_after_ms: round(drain) }), server_cpu_ms_per_alert: round(used / Math.max(1, result.acked), 3), alerts_per_server_cpu_s: round(result.acked / (used / 1_000)) };
}

function sampleRss(pid: number): { stop(): { peak_mb: number; end_mb: number } } {
  let peak = 0;
  let last = 0;
  const timer = setInterval(() => {
    try {
      last = rssMb(pid);
      peak = Math.max(peak, last);
    } catch {
      // exited
    }
  }, 100);
  return { stop: () => (clearInterval(timer), { peak_mb: round(peak), end_mb: round(last) }) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

function alertmanagerBody(i: number): string {
  return JSON.stringify({
    version: '4', groupKey: `{}:{alertname="Bench${i % 100}"}`, status: 'firing', receiver: 'bench', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
    alerts: [{ status: 'firing', labels: { alertname: `Bench${i % 100}`, severity: 'warning', service: 'bench', instance: `host-${i}` }, annotations: { summary: `bench alert ${i}` }, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom', fingerprint: `bench-${i}` }],
  });
}

function postableAlert(i: number): string {
  return JSON.stringify([{ labels: { alertname: `Bench${i % 100}`, severity: 'warning', service: 'bench', instance: `host-${i}` }, annotations: { summary: `bench alert ${i}` }, generatorURL: 'http://prom' }]);
}

async function benchPitcrew(dir: string) {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PITCREW_FROM_SOURCE: '1', PORT: String(port), PITCREW_ALERT_TOKEN: TOKEN, CHROMA_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'warn' as const, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) };
  const child = spawn(process.execPath, [join(root, 'bin/pitcrew.js'), 'serve'], { cwd: dir, env, stdio: 'ignore' });
  const target: Target = { name: 'pitcrew', port, path: '/alerts/alertmanager', headers: { authorization: `Bearer ${TOKEN}` }, body: alertmanagerBody };
  // Up when the inbox answers (202) rather than 503.
  for (;;) {
    const agent = new Agent({ keepAlive: false });
    const ok = await send(agent, target, sequence++).catch(() => false);
    if (ok) break;
    await sleep(100);
  }
  const rss = sampleRss(child.pid!);
  await closedLoop(target, 2, CONCURRENCY); // warm-up
  await drainMs(port);
  const loadStarted = performance.now();
  // Acks and processing both count: CPU is measured until the inbox has drained.
  const max = await withCpu(child.pid!, () => closedLoop(target, SECONDS, CONCURRENCY), () => drainMs(port));
  const processedPerS = max.acked / ((performance.now() - loadStarted) / 1_000);
  const rate = await withCpu(child.pid!, () => openLoop(target, SECONDS, RATE), () => drainMs(port));
  const memory = rss.stop();
  await stop(child);
  return { max: { ...max, processed_alerts_per_s: round(processedPerS) }, rate, rss: memory, store: process.env.DATABASE_URL ? 'postgres' : 'sqlite' };
}

async function benchAlertmanager(dir: string) {
  const binary = spawnSync('sh', ['-c', 'command -v prometheus-alertmanager || command -v alertmanager'], { encoding: 'utf8' }).stdout.trim();
  if (!binary) return { skipped: 'prometheus-alertmanager is not installed (apt-get install -y prometheus-alertmanager)' };
  const port = await freePort();
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
  const child = spawn(binary, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'], { stdio: 'ignore' });
  await waitForStatus(`http://127.0.0.1:${port}/-/ready`, 200, 30_000);
  const target: Target = { name: 'alertmanager', port, path: '/api/v2/alerts', headers: {}, body: postableAlert };
  const rss = sampleRss(child.pid!);
  await closedLoop(target, 2, CONCURRENCY);
  const max = await withCpu(child.pid!, () => closedLoop(target, SECONDS, CONCURRENCY));
  const rate = await withCpu(child.pid!, () => openLoop(target, SECONDS, RATE));
  const memory = rss.stop();
  await stop(child);
  return { max, rate, rss: memory };
}

const dir = mkdtempSync(join(tmpdir(), 'pitcrew-bench-intake-'));
try {
  const pitcrew = await benchPitcrew(dir);
  const alertmanager = await benchAlertmanager(dir);
  const ratios = 'skipped' in alertmanager ? null : {
    max_alerts_per_s_vs_alertmanager: round(pitcrew.max.alerts_per_s / alertmanager.max.alerts_per_s, 2),
    rate_p50_vs_alertmanager: round(pitcrew.rate.p50_ms / alertmanager.rate.p50_ms, 2),
    rate_p99_vs_alertmanager: round(pitcrew.rate.p99_ms / alertmanager.rate.p99_ms, 2),
    peak_rss_vs_alertmanager: round(pitcrew.rss.peak_mb / alertmanager.rss.peak_mb, 2),
    server_cpu_per_alert_vs_alertmanager: round(pitcrew.max.server_cpu_ms_per_alert / alertmanager.max.server_cpu_ms_per_alert, 2),
  };
  const target = { store: pitcrew.store, min_alerts_per_s: 1_000, max_p99_ms: 50 };
  console.log(JSON.stringify({
    bench: 'intake',
    seconds: SECONDS,
    machine: { cpus: availableParallelism(), load_average_1m_at_end: round(loadavg()[0]!, 2) },
    load: { one_alert_per_request: true, concurrency: CONCURRENCY, open_loop_rate: RATE },
    pitcrew,
    baseline_alertmanager: alertmanager,
    ratios,
    target: {
      ...target,
      met: pitcrew.store === 'sqlite' ? pitcrew.max.alerts_per_s >= 1_000 && pitcrew.rate.alerts_per_s >= 0.95 * RATE && pitcrew.rate.p99_ms < 50 && pitcrew.max.processed_alerts_per_s >= 1_000 : null,
    },
  }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
