import assert from 'node:assert/strict';
import { it } from 'node:test';

it('accepts the ref names git accepts and refuses the rest', async () => {
  const { isValidRefName } = await import('../../../src/sandbox/github/routes/git-refs.js');
  for (const ok of ['refs/heads/main', 'refs/heads/pitcrew/inc-1-restart-web', 'refs/tags/v1.0.0']) assert.equal(isValidRefName(ok), true, ok);
  for (const bad of ['refs/heads/a..b', 'refs/heads/x.lock', 'refs/heads/ space', 'refs/heads/.hidden', 'refs/heads/a//b', 'refs/heads/end/', 'refs/heads/a@{1}', 'refs/heads/a~1', 'refs/heads/a:b']) {
    assert.equal(isValidRefName(bad), false, bad);
  }
});

it('filters workflow runs by GitHub\'s created syntax', async () => {
  const { createdMatcher } = await import('../../../src/sandbox/github/routes/actions.js');
  const at = Date.parse('2026-03-01T12:00:00Z');
  assert.equal(createdMatcher('>=2026-03-01T12:00:00Z')(at), true);
  assert.equal(createdMatcher('>2026-03-01T12:00:00Z')(at), false);
  assert.equal(createdMatcher('<2026-03-02')(at), true);
  assert.equal(createdMatcher('2026-03-01..2026-03-02')(at), true);
  assert.equal(createdMatcher('2026-03-01')(at), true);
  assert.equal(createdMatcher('2026-02-28')(at), false);
  assert.equal(createdMatcher(null)(at), true);
});
