import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownersOf, parseCodeowners } from '../../../../src/pipeline/gate/codeowners.js';

const rules = parseCodeowners(`
# default owners
*                 @acme/sre
*.js              @web-team        # trailing comment
/docs/            @docs
apps/             @apps
/k8s/**/prod.yaml @acme/leads
/vendor/
!negated          @nobody
[abc].md          @nobody
/ops/             alice@example.com @Bob
`);

const owners = (path: string) => ownersOf(path, rules)?.owners ?? null;

describe('CODEOWNERS', () => {
  it('uses the last matching line, as GitHub does', () => {
    assert.deepEqual(owners('README.md'), ['acme/sre']);
    assert.deepEqual(owners('src/index.js'), ['web-team']);
    assert.deepEqual(owners('docs/guide.md'), ['docs']);
    assert.deepEqual(owners('k8s/payments/eu/prod.yaml'), ['acme/leads']);
  });

  it('anchors leading slashes and matches unanchored directories at any depth', () => {
    assert.deepEqual(owners('src/docs/x.md'), ['acme/sre']);
    assert.deepEqual(owners('services/apps/x.yaml'), ['apps']);
  });

  it('makes a matching line without owners unowned, and ignores emails and unsupported syntax', () => {
    assert.deepEqual(owners('vendor/lib.go'), []);
    assert.deepEqual(owners('negated'), ['acme/sre']);
    assert.deepEqual(owners('ops/run.sh'), ['bob']);
    assert.equal(rules.some((rule) => rule.pattern.startsWith('!') || rule.pattern.startsWith('[')), false);
  });

  it('returns null when nothing matches', () => {
    assert.equal(ownersOf('a.txt', parseCodeowners('/docs/ @docs\n')), null);
  });
});
