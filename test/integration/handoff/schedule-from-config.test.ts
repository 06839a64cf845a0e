import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHandoffFromConfig } from '../../../src/adapters/schedule/handoff-from-config.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { manualClock } from '../../../src/domain/clock.js';
import { silentLogger } from '../../../src/ops/logger.js';
import type { Handoff } from '../../../src/pipeline/handoff/model.js';
import type { HandoffPublisher } from '../../../src/pipeline/handoff/publisher.js';
import { storedKillSwitch } from '../../../src/store/kill-switch.js';
import { SettingsRepo } from '../../../src/store/settings-repo.js';
import { freshStore } from '../../support/databases.js';
import { fakeTimers } from '../../support/fake-timers.js';
import { seedHandoffStore } from '../../support/handoff-seed.js';
import { tempDir } from '../../support/tmp.js';

function recording(name: string, fail = false): HandoffPublisher & { posts: Array<{ handoff: Handoff; channel: string | null }> } {
  const posts: Array<{ handoff: Handoff; channel: string | null }> = [];
  return {
    name,
    posts,
    publish: async (handoff, target) => {
      if (fail) throw new Error('slack is down');
      posts.push({ handoff, channel: target.channel });
      return { ref: `${name}:${posts.length}` };
    },
  };
}

describe('scheduled handoff from configuration', () => {
  it('posts the shift to the on-call channel at 18:00 Berlin time, the window running from the previous shift change', async () => {
    const store = await freshStore('sqlite');
    await seedHandoffStore(store);
    const config = loadConfig({ PITCREW_DATA_DIR: tempDir(), PITCREW_HANDOFF_CRON: '0 7,19 * * *', PITCREW_HANDOFF_TZ: 'Europe/Berlin', PITCREW_HANDOFF_CHANNEL: '#oncall' });
    // 2026-03-08 12:00Z = 13:00 CET; the next shift change is 19:00 CET = 18:00Z.
    const clock = manualClock(Date.parse('2026-03-08T12:00:00Z'));
    const timers = fakeTimers(clock);
    const slack = recording('slack');
    const broken = recording('broken', true);
    const running = await startHandoffFromConfig({ config, store, killSwitch: storedKillSwitch(new SettingsRepo(store.db, clock)), clock, log: silentLogger(), forge: null, publishers: [broken, slack], timers });
    assert.equal(running.schedule?.next(), Date.parse('2026-03-08T18:00:00Z'));

    await timers.fireNext();
    await running.schedule?.idle();
    assert.equal(slack.posts.length, 1, 'one failing publisher does not stop the others');
    const [{ handoff, channel }] = slack.posts as [{ handoff: Handoff; channel: string | null }];
    assert.equal(channel, '#oncall');
    assert.deepEqual(handoff.window, { from: Date.parse('2026-03-08T06:00:00Z'), to: Date.parse('2026-03-08T18:00:00Z') });
    assert.equal(handoff.resolved.meanMttrMs, 3_525_000, 'the same figures as the CLI and the seeded-store test');
    assert.equal(handoff.narrative, null, 'no model configured: no narrative');
    assert.equal(running.schedule?.next(), Date.parse('2026-03-09T06:00:00Z'), 'next: 07:00 CET tomorrow');

    // /pitcrew handoff 2h (what the Slack command calls) uses the same service.
    const asked = await running.service.forRequest('2h');
    assert.deepEqual(asked.window, { from: Date.parse('2026-03-08T16:00:00Z'), to: Date.parse('2026-03-08T18:00:00Z') });
    await running.stop();
    assert.deepEqual(timers.pending(), []);
  });

  it('two replicas on one store publish each shift once; a restart just after the shift change catches up, once', async () => {
    const store = await freshStore('sqlite');
    await seedHandoffStore(store);
    const config = loadConfig({ PITCREW_DATA_DIR: tempDir(), PITCREW_HANDOFF_CRON: '0 7,19 * * *', PITCREW_HANDOFF_TZ: 'Europe/Berlin' });
    const start = (at: string, publisher: HandoffPublisher) => {
      const clock = manualClock(Date.parse(at));
      const timers = fakeTimers(clock);
      return startHandoffFromConfig({ config, store, killSwitch: storedKillSwitch(new SettingsRepo(store.db, clock)), clock, log: silentLogger(), forge: null, publishers: [publisher], timers })
        .then((running) => ({ running, timers, clock }));
    };
    const a = recording('a');
    const b = recording('b');
    const [one, two] = [await start('2026-03-08T12:00:00Z', a), await start('2026-03-08T12:00:00Z', b)];
    await Promise.all([one.timers.fireNext(), two.timers.fireNext()]);
    await Promise.all([one.running.schedule?.idle(), two.running.schedule?.idle()]);
    assert.equal(a.posts.length + b.posts.length, 1, 'one post for the 19:00 shift change');
    await one.running.stop();
    await two.running.stop();

    // Down across 07:00 CET on the 9th (06:00Z), back at 06:10Z: that shift is posted on start.
    const c = recording('c');
    const late = await start('2026-03-09T06:10:00Z', c);
    await late.running.stop();
    assert.equal(c.posts.length, 1);
    assert.deepEqual(c.posts[0]!.handoff.window, { from: Date.parse('2026-03-08T18:00:00Z'), to: Date.parse('2026-03-09T06:10:00Z') });
    // Restarted again a few minutes later: already published.
    const d = recording('d');
    const again = await start('2026-03-09T06:15:00Z', d);
    await again.running.stop();
    assert.equal(d.posts.length, 0);
  });

  it('a bad cron or time zone is a configuration error naming the variable', async () => {
    const store = await freshStore('sqlite');
    const start = (env: Record<string, string>) => startHandoffFromConfig({
      config: loadConfig({ PITCREW_DATA_DIR: tempDir(), ...env }), store, killSwitch: storedKillSwitch(new SettingsRepo(store.db, manualClock())), clock: manualClock(), log: silentLogger(), forge: null,
    });
    await assert.rejects(start({ PITCREW_HANDOFF_CRON: 'every morning' }), (error: unknown) => error instanceof ConfigError && /PITCREW_HANDOFF_CRON: "every morning" is not a cron expression/.test(error.message));
    await assert.rejects(start({ PITCREW_HANDOFF_TZ: 'Berlin' }), (error: unknown) => error instanceof ConfigError && /PITCREW_HANDOFF_TZ: "Berlin" is not an IANA time zone/.test(error.message));
    const none = await start({});
    assert.equal(none.schedule, null, 'no cron: no schedule, the service still answers /pitcrew handoff');
  });
});
