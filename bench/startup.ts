/**
 * bench/startup: cold start to /readyz and idle RSS, for the service and for
 * Chroma separately, against baselines measured in the same run:
 *  - a bare node http server (what any Node service pays), and
 *  - the bundled Chroma server started on its own (what pitcrew adds around it).
 * Prints one JSON object. Usage: node --import tsx bench/startup.ts [runs]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitForStatus } from '../test/support/ports.js';
import { chromaPidsFor } from '../test/support/processes.js';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function measure(command: string[], url: string, env: NodeJS.ProcessEnv, cwd: string, rssPids: (child: ChildProcess) => number[]) {
  const started = performance.now();
  const child = spawn(process.execPath, command, { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  await waitForStatus(url, 200, 30_000);
  const readyMs = performance.now() - started;
  await sleep(2_000); // idle
  const rss = rssPids(child).map(rssMb);
  await stop(child);
  return { readyMs, rss };
}

const results = { service_ready_ms: [] as number[], service_rss_mb: [] as number[], chroma_rss_mb: [] as number[], chroma_alone_ready_ms: [] as number[], chroma_alone_rss_mb: [] as number[], node_http_ready_ms: [] as number[], node_http_rss_mb: [] as number[] };

for (let i = 0; i < runs; i++) {
  const cwd = mkdtempSync(join(tmpdir(), 'pitcrew-bench-startup-'));
  try {
    const port = await freePort();
    const service = await measure([join(root, 'bin/pitcrew.js'), 'serve'], `http://127.0.0.1:${port}/readyz`, { PORT: String(port), LOG_LEVEL: 'warn' }, cwd,
      (child) => [child.pid!, ...chromaPidsFor(join(cwd, '.pitcrew'))]);
    results.service_ready_ms.push(service.readyMs);
    results.service_rss_mb.push(service.rss[0]!);
    results.chroma_rss_mb.push(service.rss[1]!);

    const chromaPort = await freePort();
    const chromaCli = join(root, 'node_modules/chromadb/dist/cli.mjs');
    const chroma = await measure([chromaCli, 'run', '--path', join(cwd, 'alone'), '--port', String(chromaPort)], `http://127.0.0.1:${chromaPort}/api/v2/heartbeat`, {}, cwd, (child) => [child.pid!]);
    results.chroma_alone_ready_ms.push(chroma.readyMs);
    results.chroma_alone_rss_mb.push(chroma.rss[0]!);

    const nodePort = await freePort();
    const bare = await measure(['-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${nodePort},'127.0.0.1')`], `http://127.0.0.1:${nodePort}/`, {}, cwd, (child) => [child.pid!]);
    results.node_http_ready_ms.push(bare.readyMs);
    results.node_http_rss_mb.push(bare.rss[0]!);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(median(v))])) as Record<keyof typeof results, number>;
console.log(JSON.stringify({
  bench: 'startup',
  runs,
  service: { cold_start_to_ready_ms: m.service_ready_ms, idle_rss_mb: m.service_rss_mb },
  chroma: { idle_rss_mb: m.chroma_rss_mb, started_alone_ready_ms: m.chroma_alone_ready_ms, started_alone_rss_mb: m.chroma_alone_rss_mb },
  baseline_node_http: { ready_ms: m.node_http_ready_ms, idle_rss_mb: m.node_http_rss_mb },
  ratios: {
    service_ready_vs_node_http: round(m.service_ready_ms / m.node_http_ready_ms, 2),
    service_ready_vs_chroma_alone: round(m.service_ready_ms / m.chroma_alone_ready_ms, 2),
    service_rss_vs_node_http: round(m.service_rss_mb / m.node_http_rss_mb, 2),
  },
}, null, 2));
