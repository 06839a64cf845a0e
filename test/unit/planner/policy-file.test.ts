import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Action } from '../../../src/domain/action.js';
import { evaluatePolicy } from '../../../src/domain/policy.js';
import { DENY_BY_DEFAULT, loadPolicy } from '../../../src/planner/policy-file.js';
import { repoRoot } from '../../support/processes.js';
import { tempDir } from '../../support/tmp.js';

describe('policy file', () => {
  it('loads the documented example', () => {
    const policy = loadPolicy(join(repoRoot, 'docs/policy.example.yml'));
    assert.equal(policy.defaultRepo, 'acme/platform-gitops');
    assert.equal(policy.kubernetes.targets.length, 2);
  });

  it('names the file and the key that is wrong', () => {
    const file = join(tempDir(), 'policy.yml');
    writeFileSync(file, 'repos: [not a repo]\nkubernetes:\n  targets:\n    - namespaces: []\nmaxRisk: extreme\n');
    assert.throws(() => loadPolicy(file), (error: Error) => {
      assert.match(error.message, new RegExp(`Policy file ${file} is invalid`));
      assert.match(error.message, /repos\.0: must be "owner\/name" or "owner\/\*"/);
      assert.match(error.message, /kubernetes\.targets\.0\.namespaces/);
      assert.match(error.message, /maxRisk/);
      return true;
    });
  });

  it('denies every target by default, leaving only human steps', () => {
    assert.equal(evaluatePolicy([Action.parse({ kind: 'notify', message: 'x' })], DENY_BY_DEFAULT).allowed, true);
    assert.equal(evaluatePolicy([Action.parse({ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'api' })], DENY_BY_DEFAULT).allowed, false);
  });
});
