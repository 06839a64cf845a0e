import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { githubFixture, rejectsWith, webhookSink } from '../../support/sandbox.js';

const o = { owner: 'acme', repo: 'infra' };

async function fixtureWithHooks() {
  const sink = await webhookSink();
  const fixture = await githubFixture({ webhookUrl: sink.url });
  return { ...fixture, sink };
}

describe('GitHub fake: pull requests', () => {
  it('opens a PR, refuses a duplicate and an empty one, and lists by head and state', async () => {
    const { bot, fake, sink } = await fixtureWithHooks();
    await fake.as('bob').push('acme/infra', 'pitcrew/inc-1-restart', { 'deploy/app.yaml': 'replicas: 3\nimage: web:1.0\n' });
    const { data: pr } = await bot.pulls.create({ ...o, title: 'Restart web', head: 'pitcrew/inc-1-restart', base: 'main', body: 'why' });
    assert.equal(pr.number, 1);
    assert.equal(pr.user.login, 'pitcrew[bot]');
    assert.equal(pr.changed_files, 1);
    const duplicate = await rejectsWith(bot.pulls.create({ ...o, title: 'again', head: 'pitcrew/inc-1-restart', base: 'main' }), 422);
    assert.deepEqual(duplicate.errors, [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:pitcrew/inc-1-restart.' }]);
    await bot.git.createRef({ ...o, ref: 'refs/heads/empty', sha: (await fake.branchSha('acme/infra', 'main'))! });
    const empty = await rejectsWith(bot.pulls.create({ ...o, title: 'nothing', head: 'empty', base: 'main' }), 422);
    assert.deepEqual(empty.errors, [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and empty' }]);
    await rejectsWith(bot.pulls.create({ ...o, title: 'x', head: 'no-such-branch', base: 'main' }), 422);

    const byHead = await bot.pulls.list({ ...o, head: 'acme:pitcrew/inc-1-restart', state: 'all' });
    assert.deepEqual(byHead.data.map((p) => p.number), [1]);
    assert.deepEqual((await bot.pulls.list({ ...o, head: 'acme:other' })).data, []);
    await bot.pulls.update({ ...o, pull_number: 1, state: 'closed' });
    assert.deepEqual((await bot.pulls.list({ ...o })).data, []);
    assert.deepEqual((await bot.pulls.list({ ...o, state: 'closed' })).data.map((p) => p.number), [1]);
    await fake.settled();
    const closed = sink.of('pull_request', 'closed');
    assert.equal(closed.length, 1);
    assert.equal((closed[0]!.payload.pull_request as { merged: boolean }).merged, false);
    assert.equal(sink.of('pull_request', 'opened').length, 1);
  });

  it('merges with a merge commit and reports merged, merged_by and merge_commit_sha, with a merged closed webhook', async () => {
    const { bot, fake, sink } = await fixtureWithHooks();
    const head = await fake.as('bob').push('acme/infra', 'fix', { 'deploy/app.yaml': 'replicas: 3\nimage: web:1.0\n' });
    const base = (await fake.branchSha('acme/infra', 'main'))!;
    const { data: pr } = await bot.pulls.create({ ...o, title: 'Scale web', head: 'fix', base: 'main' });
    const { data: before } = await bot.pulls.get({ ...o, pull_number: pr.number });
    assert.equal(before.mergeable, true);
    assert.equal(before.mergeable_state, 'clean');
    const merged = await fake.as('carol').merge('acme/infra', pr.number, { sha: head });
    assert.deepEqual([merged.merged, merged.message], [true, 'Pull Request successfully merged']);
    const { data: after } = await bot.pulls.get({ ...o, pull_number: pr.number });
    assert.equal(after.merged, true);
    assert.equal(after.state, 'closed');
    assert.equal(after.merged_by?.login, 'carol');
    assert.equal(after.merge_commit_sha, merged.sha);
    assert.equal(after.base.sha, base, 'base.sha is frozen at merge time');
    const parents = execFileSync('git', ['--git-dir', fake.gitDir('acme/infra'), 'rev-list', '--parents', '-n', '1', 'main'], { encoding: 'utf8' }).trim().split(' ');
    assert.deepEqual(parents, [merged.sha, base, head]);
    assert.equal(await fake.readFile('acme/infra', 'deploy/app.yaml', merged.sha), 'replicas: 3\nimage: web:1.0\n');
    await fake.settled();
    const [closed] = sink.of('pull_request', 'closed');
    const payload = closed!.payload.pull_request as { merged: boolean; merge_commit_sha: string; merged_by: { login: string }; head: { sha: string } };
    assert.deepEqual([payload.merged, payload.merge_commit_sha, payload.merged_by.login, payload.head.sha], [true, merged.sha, 'carol', head]);
    await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr.number }), 405);
  });

  it('refuses to merge a conflicting PR (405) and a PR whose head moved (409)', async () => {
    const { bot, fake } = await fixtureWithHooks();
    await fake.as('bob').push('acme/infra', 'one', { 'deploy/app.yaml': 'replicas: 5\n' });
    await fake.as('bob').push('acme/infra', 'two', { 'deploy/app.yaml': 'replicas: 9\n' });
    const one = (await bot.pulls.create({ ...o, title: 'one', head: 'one', base: 'main' })).data;
    const two = (await bot.pulls.create({ ...o, title: 'two', head: 'two', base: 'main' })).data;
    await fake.as('carol').merge('acme/infra', one.number);
    const { data: conflicted } = await bot.pulls.get({ ...o, pull_number: two.number });
    assert.equal(conflicted.mergeable, false);
    assert.equal(conflicted.mergeable_state, 'dirty');
    assert.equal((await rejectsWith(bot.pulls.merge({ ...o, pull_number: two.number }), 405)).message, 'Pull Request is not mergeable');

    await fake.as('bob').push('acme/infra', 'three', { 'c.txt': 'c\n' });
    const three = (await bot.pulls.create({ ...o, title: 'three', head: 'three', base: 'main' })).data;
    await fake.as('bob').push('acme/infra', 'three', { 'c.txt': 'changed\n' });
    const moved = await rejectsWith(bot.pulls.merge({ ...o, pull_number: three.number, sha: three.head.sha }), 409);
    assert.equal(moved.message, 'Head branch was modified. Review and try the merge again.');
  });

  it('squash-merges into one commit and rebase-merges by replaying commits', async () => {
    const { bot, fake } = await fixtureWithHooks();
    await fake.as('bob').push('acme/infra', 'sq', { 'a.txt': '1\n' }, 'first');
    await fake.as('bob').push('acme/infra', 'sq', { 'a.txt': '2\n' }, 'second');
    const sq = (await bot.pulls.create({ ...o, title: 'Squash me', head: 'sq', base: 'main' })).data;
    const squashed = await fake.as('carol').merge('acme/infra', sq.number, { method: 'squash' });
    const [top] = await fake.log('acme/infra', 'main', 1);
    assert.equal(top!.sha, squashed.sha);
    assert.equal(top!.parents.length, 1);
    assert.match(top!.message, /^Squash me \(#1\)/);

    await fake.as('bob').push('acme/infra', 'rb', { 'b.txt': '1\n' }, 'rb one');
    await fake.as('bob').push('acme/infra', 'rb', { 'b.txt': '2\n' }, 'rb two');
    const rb = (await bot.pulls.create({ ...o, title: 'Rebase me', head: 'rb', base: 'main' })).data;
    const rebased = await fake.as('carol').merge('acme/infra', rb.number, { method: 'rebase' });
    const log = await fake.log('acme/infra', 'main', 3);
    assert.deepEqual(log.map((commit) => commit.message.trim()), ['rb two', 'rb one', 'Squash me (#1)\n\n* first\n\n* second'.trim()]);
    assert.equal(log[0]!.sha, rebased.sha);
    fake.setMergeMethods('acme/infra', ['squash']);
    await fake.as('bob').push('acme/infra', 'mc', { 'c.txt': '1\n' });
    const mc = (await bot.pulls.create({ ...o, title: 'mc', head: 'mc', base: 'main' })).data;
    assert.equal((await rejectsWith(bot.pulls.merge({ ...o, pull_number: mc.number, merge_method: 'merge' }), 405)).message, 'Merge commits are not allowed on this repository.');
  });

  it('lists a PR\'s files with patches, and its commits', async () => {
    const { bot, fake } = await fixtureWithHooks();
    await fake.as('bob').push('acme/infra', 'files', { 'deploy/app.yaml': 'replicas: 4\nimage: web:1.0\n', 'new.txt': 'new\n', 'README.md': null });
    const pr = (await bot.pulls.create({ ...o, title: 'files', head: 'files', base: 'main' })).data;
    const files = await bot.paginate(bot.pulls.listFiles, { ...o, pull_number: pr.number });
    const byName = Object.fromEntries(files.map((file) => [file.filename, file]));
    assert.equal(byName['new.txt']!.status, 'added');
    assert.equal(byName['README.md']!.status, 'removed');
    assert.equal(byName['deploy/app.yaml']!.status, 'modified');
    assert.equal(byName['deploy/app.yaml']!.additions, 1);
    assert.match(byName['deploy/app.yaml']!.patch!, /^@@ /);
    const { data: commits } = await bot.pulls.listCommits({ ...o, pull_number: pr.number });
    assert.equal(commits.length, 1);
  });
});

describe('GitHub fake: reviews', () => {
  it('pins each review to the head SHA at review time, so a later push leaves approvals on an old commit', async () => {
    const { bot, fake, sink } = await fixtureWithHooks();
    const first = await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    const approval = await fake.as('carol').approve('acme/infra', pr);
    assert.equal(approval.state, 'APPROVED');
    assert.equal(approval.commit_id, first);
    const second = await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '2\n' });
    const { data: reviews } = await bot.pulls.listReviews({ ...o, pull_number: pr });
    assert.deepEqual(reviews.map((review) => [review.user?.login, review.state, review.commit_id]), [['carol', 'APPROVED', first]]);
    assert.equal((await bot.pulls.get({ ...o, pull_number: pr })).data.head.sha, second);
    await fake.settled();
    const sync = sink.of('pull_request', 'synchronize');
    assert.equal(sync.length, 1);
    assert.deepEqual([sync[0]!.payload.before, sync[0]!.payload.after], [first, second]);
    const submitted = sink.of('pull_request_review', 'submitted');
    assert.equal((submitted[0]!.payload.review as { state: string }).state, 'approved', 'webhook review states are lower case');
  });

  it('refuses self-approval, lets the bot approve, and dismisses reviews', async () => {
    const { bot, fake, sink } = await fixtureWithHooks();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    await assert.rejects(fake.as('bob').approve('acme/infra', pr), /422: Unprocessable Entity/);
    const { data: botApproval } = await bot.pulls.createReview({ ...o, pull_number: pr, event: 'APPROVE' });
    assert.equal(botApproval.user?.login, 'pitcrew[bot]');
    assert.equal(botApproval.state, 'APPROVED');
    const changes = await fake.as('carol').requestChanges('acme/infra', pr, 'not yet');
    await assert.rejects(fake.as('bob').review('acme/infra', pr, 'REQUEST_CHANGES', { body: 'me' }), /422/);
    await rejectsWith(bot.pulls.createReview({ ...o, pull_number: pr, event: 'REQUEST_CHANGES' }), 422);
    const { data: dismissed } = await bot.pulls.dismissReview({ ...o, pull_number: pr, review_id: changes.id, message: 'resolved' });
    assert.equal(dismissed.state, 'DISMISSED');
    const { data: comment } = await bot.pulls.createReview({ ...o, pull_number: pr, event: 'COMMENT', body: 'note' });
    assert.equal(comment.state, 'COMMENTED');
    await fake.settled();
    assert.deepEqual(sink.of('pull_request_review').map((hook) => [hook.payload.action, (hook.payload.review as { state: string }).state, (hook.payload.sender as { login: string }).login]), [
      ['submitted', 'approved', 'pitcrew[bot]'],
      ['submitted', 'changes_requested', 'carol'],
      ['dismissed', 'dismissed', 'pitcrew[bot]'],
      ['submitted', 'commented', 'pitcrew[bot]'],
    ]);
  });

  it('applies branch protection: approvals from writers, admin bypass, stale-review dismissal', async () => {
    const { bot, fake, sink } = await fixtureWithHooks();
    fake.protectBranch('acme/infra', 'main', { requiredApprovals: 1, dismissStaleReviews: true });
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await bot.pulls.create({ ...o, title: 'fix', head: 'fix', base: 'main' })).data.number;
    assert.equal((await bot.pulls.get({ ...o, pull_number: pr })).data.mergeable_state, 'blocked');
    assert.match((await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr }), 405)).message, /At least 1 approving review is required/);
    fake.addCollaborator('acme/infra', 'reader', 'read');
    await fake.as('reader').approve('acme/infra', pr);
    await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr }), 405);
    await fake.as('carol').approve('acme/infra', pr);
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '2\n' });
    const states = (await bot.pulls.listReviews({ ...o, pull_number: pr })).data.map((review) => [review.user?.login, review.state]);
    assert.deepEqual(states, [['reader', 'DISMISSED'], ['carol', 'DISMISSED']]);
    await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr }), 405);
    const admin = await fake.as('alice').merge('acme/infra', pr);
    assert.equal(admin.merged, true, 'an org admin merges without approvals');
    await fake.settled();
    assert.equal(sink.of('pull_request_review', 'dismissed').length, 2);
    const closed = sink.of('pull_request', 'closed')[0]!.payload.pull_request as { merged: boolean; merged_by: { login: string } };
    assert.deepEqual([closed.merged, closed.merged_by.login], [true, 'alice']);
  });

  it('requires status checks when protection lists them', async () => {
    const { bot, fake } = await fixtureWithHooks();
    fake.protectBranch('acme/infra', 'main', { requiredChecks: ['pitcrew/gate'] });
    const head = await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await bot.pulls.create({ ...o, title: 'fix', head: 'fix', base: 'main' })).data.number;
    assert.equal((await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr }), 405)).message, 'Required status check "pitcrew/gate" is expected.');
    await bot.repos.createCommitStatus({ ...o, sha: head, state: 'failure', context: 'pitcrew/gate', description: 'needs 1 approval' });
    assert.equal((await rejectsWith(bot.pulls.merge({ ...o, pull_number: pr }), 405)).message, 'Required status check "pitcrew/gate" is failing.');
    await bot.repos.createCommitStatus({ ...o, sha: head, state: 'success', context: 'pitcrew/gate' });
    assert.equal((await bot.pulls.merge({ ...o, pull_number: pr })).data.merged, true);
  });
});

describe('GitHub fake: concurrency', () => {
  it('opens one PR when the same head is proposed several times at once', async () => {
    const { bot, fake } = await githubFixture();
    await fake.as('bob').push('acme/infra', 'pitcrew/inc-9', { 'a.txt': '1\n' });
    const results = await Promise.allSettled([1, 2, 3].map(() => bot.pulls.create({ ...o, title: 'same', head: 'pitcrew/inc-9', base: 'main' })));
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected', 'rejected']);
    assert.equal(fake.pulls('acme/infra').length, 1);
  });
});
