import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appOptionsFromManifest } from '../../../src/sandbox/index.js';
import { repoRoot } from '../../support/processes.js';
import { githubFixture, quietLog, rejectsWith } from '../../support/sandbox.js';

describe('GitHub fake: app authentication', () => {
  it('authenticates the app by its RS256 JWT and issues installation tokens that expire in an hour', async () => {
    const { fake, app, installationId } = await githubFixture();
    const asApp = new Octokit({ baseUrl: fake.url, log: quietLog, authStrategy: createAppAuth, auth: { appId: app.id, privateKey: app.privateKey! } });
    const { data: me } = await asApp.apps.getAuthenticated();
    assert.equal(me!.slug, 'pitcrew');
    const { data: installation } = await asApp.apps.getRepoInstallation({ owner: 'acme', repo: 'infra' });
    assert.equal(installation.id, installationId);
    const { data: token } = await asApp.apps.createInstallationAccessToken({ installation_id: installationId });
    assert.match(token.token, /^ghs_/);
    const lifetime = Date.parse(token.expires_at) - Date.now();
    assert.ok(lifetime > 59 * 60_000 && lifetime <= 60 * 60_000, `expires in about an hour (${lifetime} ms)`);
    const withToken = new Octokit({ baseUrl: fake.url, log: quietLog, auth: token.token });
    const { data: repos } = await withToken.apps.listReposAccessibleToInstallation();
    assert.deepEqual(repos.repositories.map((repo) => repo.full_name), ['acme/infra']);
  });

  it('rejects a JWT signed by another key, an unknown token and an anonymous call', async () => {
    const { fake, app, installationId } = await githubFixture();
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = new Octokit({ baseUrl: fake.url, log: quietLog, authStrategy: createAppAuth, auth: { appId: app.id, privateKey: stranger } });
    assert.equal((await rejectsWith(forged.apps.getAuthenticated(), 401)).message, 'A JSON web token could not be decoded');
    await rejectsWith(forged.apps.createInstallationAccessToken({ installation_id: installationId }), 401);
    const unknown = new Octokit({ baseUrl: fake.url, log: quietLog, auth: 'ghs_not-a-real-token' });
    assert.equal((await rejectsWith(unknown.repos.get({ owner: 'acme', repo: 'infra' }), 401)).message, 'Bad credentials');
    const anonymous = new Octokit({ baseUrl: fake.url });
    assert.equal((await rejectsWith(anonymous.repos.get({ owner: 'acme', repo: 'infra' }), 401)).message, 'Requires authentication');
  });

  it('hides repositories the installation does not cover and enforces its permissions', async () => {
    const { fake, app, bot } = await githubFixture();
    await fake.createRepo({ owner: 'acme', name: 'secret', files: { 'a.txt': 'a' } });
    await rejectsWith(bot.repos.get({ owner: 'acme', repo: 'secret' }), 404);
    const readOnly = fake.createApp({ slug: 'reader', permissions: { contents: 'read', metadata: 'read' } });
    const installation = fake.installApp(readOnly, 'acme');
    const reader = new Octokit({ baseUrl: fake.url, log: quietLog, authStrategy: createAppAuth, auth: { appId: readOnly.id, privateKey: readOnly.privateKey!, installationId: installation.id } });
    await reader.repos.getContent({ owner: 'acme', repo: 'infra', path: 'README.md' });
    const denied = await rejectsWith(reader.issues.create({ owner: 'acme', repo: 'infra', title: 'x' }), 403);
    assert.equal(denied.message, 'Resource not accessible by integration');
    assert.ok(app.privateKey, 'the fixture app has a generated key');
  });
});

describe('GitHub fake: git data backed by a real repository', () => {
  it('builds a commit from blobs and a nested tree on a base tree, and a ref to it, readable with git', async () => {
    const { fake, bot } = await githubFixture();
    const o = { owner: 'acme', repo: 'infra' };
    const { data: main } = await bot.git.getRef({ ...o, ref: 'heads/main' });
    const { data: base } = await bot.git.getCommit({ ...o, commit_sha: main.object.sha });
    const { data: blob } = await bot.git.createBlob({ ...o, content: Buffer.from('id: p1\nrisk: low\n').toString('base64'), encoding: 'base64' });
    const { data: tree } = await bot.git.createTree({
      ...o,
      base_tree: base.tree.sha,
      tree: [
        { path: '.pitcrew/plans/p1.yaml', mode: '100644', type: 'blob', sha: blob.sha },
        { path: 'deploy/app.yaml', mode: '100644', type: 'blob', content: 'replicas: 4\nimage: web:1.0\n' },
        { path: 'README.md', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const paths = tree.tree.map((entry) => entry.path).sort();
    assert.deepEqual(paths, ['.pitcrew', 'deploy']);
    const { data: commit } = await bot.git.createCommit({ ...o, message: 'Propose p1\n\nPitcrew-Plan: p1', tree: tree.sha, parents: [main.object.sha] });
    assert.equal(commit.author.name, 'pitcrew[bot]');
    assert.deepEqual(commit.parents.map((parent) => parent.sha), [main.object.sha]);
    const { data: ref } = await bot.git.createRef({ ...o, ref: 'refs/heads/pitcrew/inc-1', sha: commit.sha });
    assert.equal(ref.object.sha, commit.sha);

    const git = (...args: string[]) => execFileSync('git', ['--git-dir', fake.gitDir('acme/infra'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(git('show', 'pitcrew/inc-1:.pitcrew/plans/p1.yaml'), 'id: p1\nrisk: low\n');
    assert.equal(git('show', 'pitcrew/inc-1:deploy/app.yaml'), 'replicas: 4\nimage: web:1.0\n');
    assert.match(git('log', '-1', '--format=%B', 'pitcrew/inc-1'), /Pitcrew-Plan: p1/);
    assert.throws(() => git('show', 'pitcrew/inc-1:README.md'), 'sha: null deleted the file');

    const { data: recursive } = await bot.git.getTree({ ...o, tree_sha: tree.sha, recursive: 'true' });
    assert.ok(recursive.tree.some((entry) => entry.path === '.pitcrew/plans/p1.yaml' && entry.type === 'blob'));
    const { data: readBack } = await bot.git.getBlob({ ...o, file_sha: blob.sha });
    assert.equal(Buffer.from(readBack.content, 'base64').toString(), 'id: p1\nrisk: low\n');
  });

  it('answers ref conflicts the way GitHub does', async () => {
    const { bot, fake } = await githubFixture();
    const o = { owner: 'acme', repo: 'infra' };
    const main = (await bot.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    assert.equal((await rejectsWith(bot.git.createRef({ ...o, ref: 'refs/heads/main', sha: main }), 422)).message, 'Reference already exists');
    assert.equal((await rejectsWith(bot.git.createRef({ ...o, ref: 'heads/x', sha: main }), 422)).message, "Reference name must start with 'refs/' and have at least two slashes.");
    await rejectsWith(bot.git.getRef({ ...o, ref: 'heads/nope' }), 404);
    assert.equal((await rejectsWith(bot.git.deleteRef({ ...o, ref: 'heads/nope' }), 422)).message, 'Reference does not exist');

    await bot.git.createRef({ ...o, ref: 'refs/heads/side', sha: main });
    const ahead = await fake.as('bob').push('acme/infra', 'side', { 'b.txt': 'b\n' });
    assert.equal((await rejectsWith(bot.git.updateRef({ ...o, ref: 'heads/side', sha: main }), 422)).message, 'Update is not a fast forward');
    await bot.git.updateRef({ ...o, ref: 'heads/side', sha: main, force: true });
    assert.equal(await fake.branchSha('acme/infra', 'side'), main);
    await bot.git.updateRef({ ...o, ref: 'heads/side', sha: ahead });
    const { data: matching } = await bot.git.listMatchingRefs({ ...o, ref: 'heads/' });
    assert.deepEqual(matching.map((ref) => ref.ref), ['refs/heads/main', 'refs/heads/side']);
    await bot.git.deleteRef({ ...o, ref: 'heads/side' });
    assert.equal(await fake.branchSha('acme/infra', 'side'), null);
  });

  it('refuses direct updates to a protected branch from non-admins', async () => {
    const { bot, fake } = await githubFixture();
    fake.protectBranch('acme/infra', 'main', { requiredApprovals: 1 });
    const o = { owner: 'acme', repo: 'infra' };
    const main = (await bot.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    const { data: tree } = await bot.git.createTree({ ...o, tree: [{ path: 'x', mode: '100644', type: 'blob', content: 'x' }] });
    const { data: commit } = await bot.git.createCommit({ ...o, message: 'x', tree: tree.sha, parents: [main] });
    assert.equal((await rejectsWith(bot.git.updateRef({ ...o, ref: 'heads/main', sha: commit.sha }), 422)).message, 'Protected branch update failed for refs/heads/main.');
    await rejectsWith(bot.repos.createOrUpdateFileContents({ ...o, path: 'y', message: 'y', content: Buffer.from('y').toString('base64') }), 409);
    await assert.rejects(fake.as('bob').push('acme/infra', 'main', { z: 'z' }), /Protected branch update failed/);
    // The audit-branch pattern: a side branch written through the git data API is fine.
    await bot.git.createRef({ ...o, ref: 'refs/heads/pitcrew-audit', sha: commit.sha });
  });
});

describe('GitHub fake: contents, commits and compare', () => {
  it('reads files and directories, in raw form for the config loader too', async () => {
    const { bot } = await githubFixture();
    const o = { owner: 'acme', repo: 'infra' };
    const { data: file } = await bot.repos.getContent({ ...o, path: 'deploy/app.yaml' });
    assert.ok(!Array.isArray(file) && file.type === 'file');
    assert.equal(Buffer.from((file as { content: string }).content, 'base64').toString(), 'replicas: 2\nimage: web:1.0\n');
    const { data: dir } = await bot.repos.getContent({ ...o, path: 'deploy' });
    assert.ok(Array.isArray(dir));
    assert.deepEqual(dir.map((entry) => [entry.name, entry.type]), [['app.yaml', 'file']]);
    const raw = await bot.request('GET /repos/{owner}/{repo}/contents/{path}', { ...o, path: 'deploy/app.yaml', mediaType: { format: 'raw' } });
    assert.equal(raw.data, 'replicas: 2\nimage: web:1.0\n');
    await rejectsWith(bot.repos.getContent({ ...o, path: 'missing.txt' }), 404);
  });

  it('creates, updates and deletes a file with the sha check GitHub applies', async () => {
    const { bot, fake } = await githubFixture();
    const o = { owner: 'acme', repo: 'infra' };
    const encode = (text: string) => Buffer.from(text).toString('base64');
    const created = await bot.repos.createOrUpdateFileContents({ ...o, path: 'notes/a.md', message: 'add a', content: encode('one\n') });
    assert.equal(created.status, 201);
    const sha = created.data.content!.sha!;
    const missing = await rejectsWith(bot.repos.createOrUpdateFileContents({ ...o, path: 'notes/a.md', message: 'no sha', content: encode('two\n') }), 422);
    assert.match(missing.message, /"sha" wasn't supplied/);
    const stale = await rejectsWith(bot.repos.createOrUpdateFileContents({ ...o, path: 'notes/a.md', message: 'bad sha', content: encode('two\n'), sha: '0'.repeat(40) }), 409);
    assert.equal(stale.message, `notes/a.md does not match ${'0'.repeat(40)}`);
    const updated = await bot.repos.createOrUpdateFileContents({ ...o, path: 'notes/a.md', message: 'update a', content: encode('two\n'), sha });
    assert.equal(updated.status, 200);
    assert.equal(await fake.readFile('acme/infra', 'notes/a.md'), 'two\n');
    await bot.repos.deleteFile({ ...o, path: 'notes/a.md', message: 'remove a', sha: updated.data.content!.sha! });
    assert.equal(await fake.readFile('acme/infra', 'notes/a.md'), null);
    const { data: commits } = await bot.repos.listCommits({ ...o, path: 'notes/a.md' });
    assert.deepEqual(commits.map((commit) => commit.commit.message), ['remove a', 'update a', 'add a']);
    assert.equal(commits[0]!.author?.login, 'pitcrew[bot]');
  });

  it('compares two commits and lists commits with pagination', async () => {
    const { bot, fake } = await githubFixture();
    const o = { owner: 'acme', repo: 'infra' };
    const base = (await fake.branchSha('acme/infra', 'main'))!;
    for (let i = 1; i <= 3; i++) await fake.as('bob').push('acme/infra', 'feature', { 'deploy/app.yaml': `replicas: ${i + 2}\nimage: web:1.0\n` }, `bump ${i}`);
    const { data: comparison } = await bot.repos.compareCommits({ ...o, base: 'main', head: 'feature' });
    assert.equal(comparison.status, 'ahead');
    assert.equal(comparison.ahead_by, 3);
    assert.equal(comparison.merge_base_commit.sha, base);
    assert.deepEqual(comparison.commits.map((commit) => commit.commit.message), ['bump 1', 'bump 2', 'bump 3']);
    assert.equal(comparison.files![0]!.filename, 'deploy/app.yaml');
    assert.match(comparison.files![0]!.patch!, /-replicas: 2\n\+replicas: 5/);
    const all = await bot.paginate(bot.repos.listCommits, { ...o, sha: 'feature', per_page: 2 });
    assert.equal(all.length, 4);
    const { data: single } = await bot.repos.getCommit({ ...o, ref: 'feature' });
    assert.equal(single.files![0]!.status, 'modified');
  });
});

describe('GitHub fake: the app manifest', () => {
  it('grants exactly the permissions and events app.yml asks for', async () => {
    const { fake } = await githubFixture();
    const manifest = appOptionsFromManifest(join(repoRoot, 'app.yml'));
    const app = fake.createApp({ slug: 'from-manifest', ...manifest });
    const installation = fake.installApp(app, 'acme');
    const octokit = new Octokit({ baseUrl: fake.url, log: quietLog, authStrategy: createAppAuth, auth: { appId: app.id, privateKey: app.privateKey!, installationId: installation.id } });
    assert.deepEqual(app.record.events, manifest.events);
    await octokit.pulls.list({ owner: 'acme', repo: 'infra' });
    if (!manifest.permissions.members) {
      // app.yml grants no `members` permission, so team lookups (team approvers) are refused, as on GitHub.
      await rejectsWith(octokit.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'any', username: 'alice' }), 403);
    }
  });
});
