#!/usr/bin/env node
// Entry point for `npx pitcrew`. Runs the compiled CLI (built by `npm run build`,
// which `npm ci` runs through the prepare script). In a checkout without dist/,
// it falls back to running the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled) && process.env.PITCREW_FROM_SOURCE !== '1') {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
