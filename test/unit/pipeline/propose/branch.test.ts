import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBranchOf, proposalBranch, proposalRefPrefix, proposalToken, slugify } from '../../../../src/pipeline/propose/branch.js';

describe('fix branches', () => {
  it('are pitcrew/<incident>-<slug>', () => {
    assert.equal(proposalBranch('inc_42', 'HighErrorRate checkout-api'), 'pitcrew/inc_42-high-error-rate-checkout-api');
    assert.equal(slugify('Ünïcode   & symbols!!  42'), 'unicode-symbols-42');
    assert.equal(slugify('!!!'), 'fix');
    assert.ok(slugify('a'.repeat(30) + ' ' + 'b'.repeat(30)).length <= 40);
  });

  it('reduce keys so no key\'s branches are found under another key', () => {
    assert.equal(proposalToken('INC-1'), 'INC_1');
    assert.equal(proposalToken('../../etc'), 'etc');
    assert.equal(isBranchOf('pitcrew/INC_1-high-error-rate', 'INC-1'), true);
    assert.equal(isBranchOf('pitcrew/INC_12-high-error-rate', 'INC-1'), false);
    assert.equal(isBranchOf('pitcrew/INC_1_2-x', 'INC-1'), false);
    assert.equal(proposalRefPrefix('INC-1'), 'heads/pitcrew/INC_1-');
  });
});
