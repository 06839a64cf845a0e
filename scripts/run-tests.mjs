#!/usr/bin/env node
// Runs the test suite with node's built-in runner, TypeScript loaded through tsx.
// Node 20's `--test` does not expand globs, so we find the files ourselves.
// Usage: npm test [-- <file-or-dir> ...]
//
// Human-readable spec output goes to stdout; a TAP copy is written alongside so
// the run always ends with node's `# pass N` / `# fail N` summary lines.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];

function findTests(path) {
  const stats = statSync(path);
  if (stats.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'fixtures')
    .flatMap((entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return findTests(full);
      return entry.name.endsWith('.test.ts') ? [full] : [];
    });
}

const files = roots.flatMap((r) => findTests(resolve(root, r))).sort();
if (files.length === 0) {
  console.error(`No *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}

const tapFile = join(root, '.pitcrew', 'test-results.tap');
mkdirSync(join(root, '.pitcrew'), { recursive: true });
const concurrency = process.env.PITCREW_TEST_CONCURRENCY ?? '3';
const args = [
  '--import', 'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...files,
];

const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
child.on('exit', (code, signal) => {
  const summary = readFileSync(tapFile, 'utf8')
    .split('\n')
    .filter((line) => /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(line));
  console.log(['', ...summary].join('\n'));
  process.exit(code ?? (signal ? 1 : 0));
});
