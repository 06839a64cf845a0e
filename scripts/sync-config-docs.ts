/**
 * Regenerates the documentation that is derived from src/config/env-docs.ts:
 * `.env.example` and the configuration table in README.md.
 * Usage: node --import tsx scripts/sync-config-docs.ts   (test/unit/config/env-docs.test.ts checks both)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderEnvExample, renderEnvTable } from '../src/config/env-example.js';

const root = resolve(import.meta.dirname, '..');
writeFileSync(join(root, '.env.example'), renderEnvExample());

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const table = /^\| Variable \| Group \|.*\n(?:^\|.*\n)*/m;
if (!table.test(readme)) throw new Error('README.md has no configuration table starting with "| Variable | Group |"');
writeFileSync(readmePath, readme.replace(table, `${renderEnvTable()}\n`));
console.log('updated .env.example and the README configuration table');
