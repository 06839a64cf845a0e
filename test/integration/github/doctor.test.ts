import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { manifestGaps, readManifest } from '../../../src/adapters/github/manifest-gaps.js';
import { loadConfig } from '../../../src/config/config.js';
import { credentialChecks } from '../../../src/ops/doctor/credential-checks.js';
import { FakeGitHub, appOptionsFromManifest } from '../../../src/sandbox/index.js';

describe('doctor: the GitHub App against app.yml', () => {
  it('says which permissions and events a registered app lacks', () => {
    const manifest = readManifest();
    assert.deepEqual(manifestGaps({ permissions: { ...manifest.permissions }, events: [...manifest.events] }), { permissions: [], events: [] });
    assert.deepEqual(manifestGaps({ permissions: { ...manifest.permissions, members: undefined, statuses: 'read' }, events: manifest.events.filter((e) => e !== 'push') }), {
      permissions: ['statuses: write (has read)', 'members: read'], events: ['push'],
    });
  });

  it('checks the live app in the fake', async () => {
    const fake = await FakeGitHub.start();
    after(() => fake.stop());
    const run = async (app: { id: number; privateKey: string | null }) => {
      const config = loadConfig({ APP_ID: String(app.id), PRIVATE_KEY: app.privateKey!, WEBHOOK_SECRET: 's', GITHUB_API_URL: fake.url });
      return credentialChecks(config).find((check) => check.name === 'github')!.run();
    };
    const good = await run(fake.createApp({ slug: 'pitcrew', ...appOptionsFromManifest('app.yml') }));
    assert.equal(good.status, 'ok', good.detail);
    assert.match(good.detail, /authenticated as GitHub App pitcrew \(0 installations\); permissions and events match app\.yml/);
    const { permissions, events } = appOptionsFromManifest('app.yml');
    const { members: _members, ...fewer } = permissions;
    const old = await run(fake.createApp({ slug: 'pitcrew-old', permissions: fewer, events: events.filter((e) => e !== 'pull_request_review') }));
    assert.equal(old.status, 'warn');
    assert.equal(old.detail, 'GitHub App pitcrew-old lacks what app.yml asks for: permission members: read, event pull_request_review');
  });
});
