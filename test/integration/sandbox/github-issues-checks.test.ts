import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { githubFixture, rejectsWith, webhookSink } from '../../support/sandbox.js';

const o = { owner: 'acme', repo: 'infra' };

async function withPull() {
  const sink = await webhookSink();
  const fixture = await githubFixture({ webhookUrl: sink.url });
  const head = await fixture.fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
  const pr = (await fixture.bot.pulls.create({ ...o, title: 'fix', head: 'fix', base: 'main' })).data.number;
  return { ...fixture, sink, head, pr };
}

describe('GitHub fake: comments, reactions and labels', () => {
  it('creates, lists, updates and deletes PR comments with issue_comment webhooks', async () => {
    const { bot, fake, sink, pr } = await withPull();
    const { data: created } = await bot.issues.createComment({ ...o, issue_number: pr, body: 'Diagnosis: flaky' });
    assert.equal(created.user?.login, 'pitcrew[bot]');
    assert.equal(created.performed_via_github_app?.slug, 'pitcrew');
    await bot.issues.updateComment({ ...o, comment_id: created.id, body: 'Diagnosis: resolved' });
    const { data: listed } = await bot.issues.listComments({ ...o, issue_number: pr });
    assert.deepEqual(listed.map((comment) => comment.body), ['Diagnosis: resolved']);
    assert.equal((await bot.issues.get({ ...o, issue_number: pr })).data.comments, 1);
    fake.addCollaborator('acme/infra', 'reader', 'read');
    await assert.rejects(fake.as('reader').request('PATCH', `/repos/acme/infra/issues/comments/${created.id}`, { body: 'hijack' }), /403: You must have write access/);
    await bot.issues.deleteComment({ ...o, comment_id: created.id });
    await rejectsWith(bot.issues.getComment({ ...o, comment_id: created.id }), 404);
    await fake.settled();
    assert.deepEqual(sink.of('issue_comment').map((hook) => hook.payload.action), ['created', 'edited', 'deleted']);
    const edited = sink.of('issue_comment', 'edited')[0]!.payload;
    assert.deepEqual(edited.changes, { body: { from: 'Diagnosis: flaky' } });
    assert.ok((edited.issue as { pull_request?: unknown }).pull_request, 'a PR comment carries issue.pull_request');
  });

  it('records reactions (201 new, 200 repeated) and rejects unknown content', async () => {
    const { bot, fake, pr, user } = await withPull();
    const { data: comment } = await bot.issues.createComment({ ...o, issue_number: pr, body: 'Diagnosis' });
    const thumbs = await fake.as('carol').react('acme/infra', comment.id, '+1');
    const again = await user('carol').reactions.createForIssueComment({ ...o, comment_id: comment.id, content: '+1' });
    assert.equal(again.status, 200);
    assert.equal(again.data.id, thumbs.id);
    const { data: reactions } = await bot.reactions.listForIssueComment({ ...o, comment_id: comment.id, content: '+1' });
    assert.deepEqual(reactions.map((reaction) => reaction.user?.login), ['carol']);
    assert.equal((await bot.issues.getComment({ ...o, comment_id: comment.id })).data.reactions?.['+1'], 1);
    await rejectsWith(bot.reactions.createForIssueComment({ ...o, comment_id: comment.id, content: 'thumbsup' as '+1' }), 422);
  });

  it('adds labels (creating unknown ones), removes them, and raises labeled events', async () => {
    const { bot, fake, sink, pr } = await withPull();
    const { data: labels } = await bot.issues.addLabels({ ...o, issue_number: pr, labels: ['pitcrew', 'risk:low'] });
    assert.deepEqual(labels.map((label) => label.name), ['pitcrew', 'risk:low']);
    await bot.issues.removeLabel({ ...o, issue_number: pr, name: 'risk:low' });
    assert.deepEqual((await bot.pulls.get({ ...o, pull_number: pr })).data.labels.map((label) => label.name), ['pitcrew']);
    await rejectsWith(bot.issues.removeLabel({ ...o, issue_number: pr, name: 'nope' }), 404);
    assert.ok((await bot.issues.getLabel({ ...o, name: 'risk:low' })).data, 'the label exists in the repository');
    await fake.settled();
    assert.deepEqual(sink.of('pull_request').filter((hook) => /labeled/.test(String(hook.payload.action))).map((hook) => [hook.payload.action, (hook.payload.label as { name: string }).name]), [
      ['labeled', 'pitcrew'],
      ['labeled', 'risk:low'],
      ['unlabeled', 'risk:low'],
    ]);
  });
});

describe('GitHub fake: statuses and check runs', () => {
  it('keeps commit statuses and computes the combined state per context', async () => {
    const { bot, head } = await withPull();
    await bot.repos.createCommitStatus({ ...o, sha: head, state: 'pending', context: 'pitcrew/gate' });
    await bot.repos.createCommitStatus({ ...o, sha: head, state: 'success', context: 'ci' });
    assert.equal((await bot.repos.getCombinedStatusForRef({ ...o, ref: head })).data.state, 'pending');
    await bot.repos.createCommitStatus({ ...o, sha: head, state: 'failure', context: 'pitcrew/gate', description: 'approval by the author does not count' });
    const { data: combined } = await bot.repos.getCombinedStatusForRef({ ...o, ref: 'fix' });
    assert.equal(combined.state, 'failure');
    assert.deepEqual(combined.statuses.map((status) => [status.context, status.state]).sort(), [['ci', 'success'], ['pitcrew/gate', 'failure']]);
    assert.equal((await bot.repos.listCommitStatusesForRef({ ...o, ref: head })).data.length, 3);
    await rejectsWith(bot.repos.createCommitStatus({ ...o, sha: head, state: 'bogus' as 'success' }), 422);
    await rejectsWith(bot.repos.createCommitStatus({ ...o, sha: 'f'.repeat(40), state: 'success' }), 422);
  });

  it('creates and updates check runs with appended annotations; only apps may create them', async () => {
    const { bot, fake, sink, head, user } = await withPull();
    const { data: run } = await bot.checks.create({ ...o, name: 'pitcrew/execute', head_sha: head, status: 'in_progress', output: { title: 'Running', summary: '1 action', annotations: [{ path: 'a.txt', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'first' }] } });
    assert.equal(run.app?.slug, 'pitcrew');
    await bot.checks.update({ ...o, check_run_id: run.id, conclusion: 'success', output: { title: 'Done', summary: 'ok', annotations: [{ path: 'a.txt', start_line: 2, end_line: 2, annotation_level: 'notice', message: 'second' }] } });
    const { data: done } = await bot.checks.get({ ...o, check_run_id: run.id });
    assert.deepEqual([done.status, done.conclusion, done.output.title, done.output.annotations_count], ['completed', 'success', 'Done', 2]);
    const { data: annotations } = await bot.checks.listAnnotations({ ...o, check_run_id: run.id });
    assert.deepEqual(annotations.map((annotation) => annotation.message), ['first', 'second']);
    const { data: forRef } = await bot.checks.listForRef({ ...o, ref: head });
    assert.deepEqual(forRef.check_runs.map((check) => check.name), ['pitcrew/execute']);
    assert.equal(forRef.check_runs[0]!.pull_requests[0]!.number, 1);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ path: 'a.txt', start_line: i + 1, end_line: i + 1, annotation_level: 'notice' as const, message: 'x' }));
    await rejectsWith(bot.checks.update({ ...o, check_run_id: run.id, output: { title: 't', summary: 's', annotations: tooMany } }), 422);
    await rejectsWith(bot.checks.create({ ...o, name: 'x', head_sha: head, status: 'completed' }), 422);
    assert.equal((await rejectsWith(user('alice').checks.create({ ...o, name: 'x', head_sha: head }), 403)).message, 'You must authenticate via a GitHub App.');
    await fake.settled();
    assert.deepEqual(sink.of('check_run').map((hook) => hook.payload.action), ['created', 'completed']);
  });

  it('delivers check runs of another CI app (check_run completed) as GitHub does', async () => {
    const { fake, sink, head } = await withPull();
    await fake.externalCheckRun('acme/infra', 'circleci-checks', { name: 'build', headSha: head, conclusion: 'failure', output: { title: 'Build failed', summary: 'npm test exited 1' } });
    await fake.settled();
    const [completed] = sink.of('check_run', 'completed');
    const checkRun = completed!.payload.check_run as { app: { slug: string }; conclusion: string; check_suite: { head_branch: string }; pull_requests: Array<{ number: number }> };
    assert.deepEqual([checkRun.app.slug, checkRun.conclusion, checkRun.pull_requests[0]!.number], ['circleci-checks', 'failure', 1]);
  });
});

describe('GitHub fake: people', () => {
  it('reports collaborator permissions, including through teams and org admin', async () => {
    const { bot, fake } = await githubFixture();
    fake.addTeam({ org: 'acme', slug: 'sre', members: ['dave'], maintainers: ['erin'], repos: { 'acme/infra': 'maintain' } });
    fake.addCollaborator('acme/infra', 'reader', 'read');
    const permission = async (username: string) => (await bot.repos.getCollaboratorPermissionLevel({ ...o, username })).data;
    assert.deepEqual([(await permission('alice')).permission, (await permission('alice')).role_name], ['admin', 'admin']);
    assert.deepEqual([(await permission('bob')).permission, (await permission('bob')).role_name], ['write', 'write']);
    assert.deepEqual([(await permission('dave')).permission, (await permission('dave')).role_name], ['write', 'maintain']);
    assert.equal((await permission('reader')).permission, 'read');
    fake.addUser('stranger');
    assert.equal((await permission('stranger')).permission, 'none');
    await rejectsWith(bot.repos.checkCollaborator({ ...o, username: 'stranger' }), 404);
    assert.equal((await bot.repos.checkCollaborator({ ...o, username: 'dave' })).status, 204);
    const logins = (await bot.paginate(bot.repos.listCollaborators, o)).map((user) => user.login).sort();
    assert.deepEqual(logins, ['alice', 'bob', 'carol', 'dave', 'erin', 'reader']);
  });

  it('answers team membership for approver teams', async () => {
    const { bot, fake } = await githubFixture();
    fake.addTeam({ org: 'acme', slug: 'sre-approvers', members: ['dave'], maintainers: ['erin'] });
    const { data: membership } = await bot.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre-approvers', username: 'erin' });
    assert.deepEqual([membership.role, membership.state], ['maintainer', 'active']);
    await rejectsWith(bot.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre-approvers', username: 'bob' }), 404);
    const { data: members } = await bot.teams.listMembersInOrg({ org: 'acme', team_slug: 'sre-approvers' });
    assert.deepEqual(members.map((member) => member.login), ['dave', 'erin']);
    await rejectsWith(bot.teams.getByName({ org: 'acme', team_slug: 'nope' }), 404);
    const { data: user } = await bot.users.getByUsername({ username: 'dave' });
    assert.equal(user.type, 'User');
    assert.equal((await bot.users.getByUsername({ username: 'pitcrew[bot]' })).data.type, 'Bot');
  });
});
