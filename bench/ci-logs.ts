/**
 * bench/ci-logs: diagnosis throughput and memory on a synthetic GitHub Actions
 * log (200 MB by default), against `grep -c -E 'error|fail'` on the same file
 * in the same run. Prints one JSON object.
 *
 * Usage: node --import tsx bench/ci-logs.ts [sizeMB]
 * Targets (issue 9): ≥ 100 MB/s and RSS growth < 100 MB.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createDiagnoser } from '../src/diagnosis/diagnose.js';
import { openLogSource } from '../src/diagnosis/log-source.js';

const sizeMb = Number(process.argv[2] ?? 200);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const statusKb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** A deterministic pseudo-random generator, so every run writes the same log. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const packages = ['react', 'lodash', 'typescript', 'eslint', 'jest', 'webpack', 'babel-core', 'express', 'zod', 'kysely', 'pino', 'yaml'];
const files = ['src/app.ts', 'src/server/routes.ts', 'src/lib/cache.ts', 'src/components/Button.tsx', 'src/util/format.ts', 'test/app.test.ts'];

async function writeSyntheticLog(path: string, bytes: number): Promise<void> {
  const random = rng(42);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let written = 0;
  let clock = Date.UTC(2026, 0, 1, 12);
  let step = 0;
  const stamp = () => new Date((clock += Math.floor(random() * 40))).toISOString().replace('Z', '0000Z');
  const lines: string[] = [];
  const flush = async () => {
    const text = lines.join('');
    lines.length = 0;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const line = (text: string) => lines.push(`${stamp()} ${text}\n`);
  while (written < bytes - 20_000) {
    step++;
    line(`##[group]Run npm run build:${step}`);
    line(`\x1b[36;1mnpm run build:${step}\x1b[0m`);
    line('shell: /usr/bin/bash -e {0}');
    line('##[endgroup]');
    for (let i = 0; i < 2_000; i++) {
      const r = random();
      const pkg = packages[Math.floor(random() * packages.length)]!;
      const file = files[Math.floor(random() * files.length)]!;
      if (r < 0.25) line(`npm http fetch GET 200 https://registry.npmjs.org/${pkg}/-/${pkg}-${Math.floor(random() * 20)}.${Math.floor(random() * 10)}.0.tgz ${Math.floor(random() * 900)}ms (cache miss)`);
      else if (r < 0.45) line(`\x1b[32m PASS \x1b[39m ${file.replace('src', 'test')} (${(random() * 5).toFixed(2)} s)`);
      else if (r < 0.6) line(`  ✓ ${pkg} handles case ${Math.floor(random() * 1000)} (${Math.floor(random() * 50)} ms)`);
      else if (r < 0.7) line(`[webpack] compiled ${file} -> dist/${file.replace('.ts', '.js')} in ${Math.floor(random() * 300)} ms`);
      else if (r < 0.78) line(`Downloading ${pkg} ${'#'.repeat(Math.floor(random() * 30))}\r${'#'.repeat(40)} 100%`);
      else if (r < 0.85) line(`    at Object.<anonymous> (node_modules/${pkg}/lib/index.js:${Math.floor(random() * 500)}:${Math.floor(random() * 40)})`);
      else if (r < 0.9) line(`npm WARN deprecated ${pkg}@1.0.${Math.floor(random() * 9)}: this version is no longer supported`);
      else if (r < 0.95) line(`info: request ${Math.floor(random() * 1e6)} served in ${Math.floor(random() * 100)} ms (status 200)`);
      else if (r < 0.995) line(`${'-'.repeat(10)} coverage: ${(random() * 100).toFixed(1)}% of statements in ${file}`);
      else line(`\x1b[33mwarning\x1b[39m: ${file}:${Math.floor(random() * 200)} unused variable 'tmp${Math.floor(random() * 9)}'`);
    }
    if (lines.length > 0) await flush();
  }
  // The failure, at the end, as in real logs.
  line('\x1b[31m FAIL \x1b[39m test/app.test.ts (5.1 s)');
  line('  ● app › renders the dashboard');
  line('');
  line('    expect(received).toBe(expected) // Object.is equality');
  line('');
  line('    Expected: "Dashboard"');
  line('    Received: "Loading…"');
  line('');
  line('      at Object.<anonymous> (test/app.test.ts:42:31)');
  line('');
  line('Tests:       1 failed, 4212 passed, 4213 total');
  line('##[error]Process completed with exit code 1.');
  await flush();
  out.end();
  await once(out, 'finish');
}

const dir = mkdtempSync(join(tmpdir(), 'pitcrew-bench-ci-logs-'));
try {
  const file = join(dir, 'synthetic.log');
  await writeSyntheticLog(file, sizeMb * 1e6);
  const bytes = statSync(file).size;

  // Baseline: what a plain keyword grep costs on the same file.
  const grepStarted = performance.now();
  const grep = spawnSync('grep', ['-c', '-E', 'error|fail', file], { encoding: 'utf8' });
  const grepSeconds = (performance.now() - grepStarted) / 1000;

  const diagnoser = createDiagnoser();
  // Warm up the code paths (JIT, rule compilation) on a small slice, then measure.
  await diagnoser.diagnose(await openLogSource(join(import.meta.dirname, '..', 'package.json')));
  global.gc?.();
  const rssBeforeMb = statusKb('VmRSS') / 1024;
  let peakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    peakMb = Math.max(peakMb, statusKb('VmRSS') / 1024);
  }, 25);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const diagnosis = await diagnoser.diagnose(await openLogSource(file));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peakMb = Math.max(peakMb, statusKb('VmRSS') / 1024);
  const mbPerS = bytes / 1e6 / seconds;
  const grepMbPerS = bytes / 1e6 / grepSeconds;
  console.log(JSON.stringify({
    bench: 'ci-logs',
    log_mb: round(bytes / 1e6),
    lines: diagnosis.stats.lines,
    seconds: round(seconds, 2),
    mb_per_s: round(mbPerS),
    // CPU time is steadier than wall time on a shared machine.
    cpu_mb_per_s: round(bytes / 1e6 / cpuSeconds),
    rss_before_mb: round(rssBeforeMb),
    rss_peak_mb: round(peakMb),
    rss_growth_mb: round(peakMb - rssBeforeMb),
    category: diagnosis.category,
    evidence_lines: diagnosis.lineNumbers.length,
    found_failure: diagnosis.blocks.some((b) => b.lines.some((l) => l.text.includes('renders the dashboard'))),
    baseline: { command: "grep -c -E 'error|fail'", seconds: round(grepSeconds, 2), mb_per_s: round(grepMbPerS), matches: Number(grep.stdout.trim()) },
    ratio_vs_grep: round(grepSeconds / seconds, 3),
    targets: { mb_per_s: 100, rss_growth_mb: 100, met: mbPerS >= 100 && peakMb - rssBeforeMb < 100 },
  }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
