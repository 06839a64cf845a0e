import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentEvidence, coverage, type TermStatistics } from '../../../src/knowledge/retrieval/abstention.js';
import { tokenize } from '../../../src/knowledge/text/tokenize.js';

/** Two runbooks: one about machine config pools, one about disks. */
function stats(): TermStatistics {
  const docs: Record<string, Set<string>> = {
    pool: new Set(tokenize('machine config pool degraded node failed update rendered config')),
    disk: new Set(tokenize('disk filesystem full space node cleanup logs')),
  };
  const n = Object.keys(docs).length;
  return {
    idf: (term) => {
      const df = Object.values(docs).filter((terms) => terms.has(term)).length;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    },
    contains: (id, term) => docs[id]?.has(term) ?? false,
  };
}

describe('abstention evidence', () => {
  it('weighs a term no runbook knows the most: an alert about an unknown thing covers little', () => {
    const known = coverage('machine config pool failed', 'pool', stats())!;
    const unknown = coverage('OCL layering build failed for pool', 'pool', stats())!;
    assert.equal(known, 1);
    assert.ok(unknown < 0.3, `coverage ${unknown}`);
  });

  it('takes the summary fully and the description at a discount, and compares with the threshold', () => {
    const evidence = contentEvidence('OCL layering build failed', 'machine config pool node failed update', 'pool', stats(), 0.3);
    assert.ok(evidence.summaryCoverage < 0.3);
    assert.equal(evidence.descriptionCoverage, 1);
    assert.equal(evidence.score, Math.round((1 / 1.5) * 1000) / 1000);
    assert.equal(evidence.threshold, 0.3);
  });

  it('has no evidence without a candidate or without text', () => {
    assert.equal(contentEvidence('disk full', '', undefined, stats(), 0.3).score, 0);
    assert.equal(contentEvidence('', '', 'disk', stats(), 0.3).score, 0);
  });
});
