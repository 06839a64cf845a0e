import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Router } from '../../../src/sandbox/http/router.js';

it('matches params, decodes %2F in refs and paths, and prefers literal segments', () => {
  const router = new Router<string>()
    .add('GET', '/repos/:owner/:repo/issues/:number', 'issue')
    .add('GET', '/repos/:owner/:repo/issues/comments', 'comments')
    .add('GET', '/repos/:owner/:repo/git/ref/*ref', 'ref');
  assert.deepEqual(router.match('GET', '/repos/acme/infra/issues/comments'), { handler: 'comments', params: { owner: 'acme', repo: 'infra' } });
  assert.deepEqual(router.match('GET', '/repos/acme/infra/issues/7'), { handler: 'issue', params: { owner: 'acme', repo: 'infra', number: '7' } });
  assert.deepEqual(router.match('GET', '/repos/acme/infra/git/ref/heads%2Fpitcrew%2Finc-1'), { handler: 'ref', params: { owner: 'acme', repo: 'infra', ref: 'heads/pitcrew/inc-1' } });
  assert.deepEqual(router.match('GET', '/repos/acme/infra/git/ref/heads/pitcrew/inc-1'), { handler: 'ref', params: { owner: 'acme', repo: 'infra', ref: 'heads/pitcrew/inc-1' } });
  assert.deepEqual(router.match('POST', '/repos/acme/infra/issues/7'), { methodNotAllowed: true });
  assert.equal(router.match('GET', '/nope'), undefined);
});

