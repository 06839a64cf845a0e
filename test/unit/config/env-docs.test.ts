import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { ENV_DOCS } from '../../../src/config/env-docs.js';
import { renderEnvExample } from '../../../src/config/env-example.js';
import { repoRoot } from '../../support/processes.js';

it('.env.example is the generated one (run `pitcrew config --example > .env.example`)', () => {
  assert.equal(readFileSync(join(repoRoot, '.env.example'), 'utf8'), renderEnvExample());
});

it('the README configuration table names every variable', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const missing = Object.keys(ENV_DOCS).filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});
