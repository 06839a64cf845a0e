#!/usr/bin/env node
// Runs every benchmark in bench/ (or the ones named) in turn. Each prints JSON.
// Usage: npm run bench [-- startup intake ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((name) => /\.(ts|mjs)$/.test(name))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.(ts|mjs)$/, '')));
let failed = 0;
for (const bench of benches) {
  console.error(`▶ bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', bench)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
