import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/store.js';
import { seedHandoffStore } from '../support/handoff-seed.js';
import { runCli } from '../support/processes.js';
import { startServe } from '../support/serve.js';
import { tempDir } from '../support/tmp.js';

interface HandoffJson {
  version: number;
  window: { fromIso: string; toIso: string };
  quiet: boolean;
  resolved: { meanMttrMs: number; medianMttrMs: number; items: Array<{ number: number; mttrMs: number }> };
  openIncidents: Array<{ number: number; owner: string | null }>;
  remediations: { connected: boolean };
  controls: { pause: { paused: boolean } };
}

describe('pitcrew handoff (CLI)', () => {
  it('prints the seeded shift as JSON and as markdown; bad --since is a clear error', async () => {
    const cwd = tempDir();
    const store = await openStore({ kind: 'sqlite', file: join(cwd, '.pitcrew', 'pitcrew.db') });
    await seedHandoffStore(store);
    await store.close();
    const window = ['--since', '2026-03-08T06:00Z', '--until', '2026-03-08T18:00Z'];

    const json = await runCli(['handoff', ...window, '--json'], { cwd });
    assert.equal(json.code, 0, json.output);
    const handoff = JSON.parse(json.output) as HandoffJson;
    assert.equal(handoff.version, 1);
    assert.deepEqual(handoff.window, { ...handoff.window, fromIso: '2026-03-08T06:00:00.000Z', toIso: '2026-03-08T18:00:00.000Z' });
    assert.deepEqual(handoff.resolved.items.map((i) => [i.number, i.mttrMs / 60_000]), [[3, 30], [4, 120], [5, 75], [7, 10]]);
    assert.equal(handoff.resolved.meanMttrMs, 3_525_000);
    assert.equal(handoff.resolved.medianMttrMs, 3_150_000);
    assert.deepEqual(handoff.openIncidents.map((i) => [i.number, i.owner]), [[1, 'alice'], [2, null]]);
    assert.equal(handoff.remediations.connected, false, 'the CLI has no execution journal yet, and says so');
    assert.equal(handoff.controls.pause.paused, true);

    const markdown = await runCli(['handoff', ...window, '--tz', 'America/New_York'], { cwd });
    assert.equal(markdown.code, 0, markdown.output);
    assert.match(markdown.output, /^# On-call handoff: 2026-03-08 01:00 EST → 2026-03-08 14:00 EDT \(12h\)\n/, 'local times on both sides of the DST change');
    assert.match(markdown.output, /\n## Resolved this shift \(4\): MTTR mean 59m, median 53m\n/);
    assert.match(markdown.output, /\n- Execution: \*\*PAUSED\*\* by alice at 13:30: deploy freeze\n/);

    const bad = await runCli(['handoff', '--since', 'last tuesday'], { cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.output, /error "last tuesday" is neither a duration nor a time\n {2}→ Give a duration such as 12h/);
    const zone = await runCli(['handoff', '--tz', 'Mars/Olympus'], { cwd });
    assert.equal(zone.code, 2);
    assert.match(zone.output, /PITCREW_HANDOFF_TZ: "Mars\/Olympus" is not an IANA time zone/);
  });
});

describe('pitcrew serve with a handoff schedule', () => {
  it('posts the handoff on schedule (to the log without chat) and logs each fire once', async () => {
    const cwd = tempDir();
    // Every 2 seconds, so the test sees a fire without waiting for a shift change.
    const { serve } = await startServe(cwd, { PITCREW_HANDOFF_CRON: '*/2 * * * * *', PITCREW_HANDOFF_TZ: 'Europe/Berlin', PITCREW_HANDOFF_CHANNEL: '#oncall' });
    after(() => void serve.child.kill('SIGKILL'));
    assert.match(serve.output(), /"feature":"handoff schedule","on":true/);
    assert.match(serve.output(), /"handoff schedule on"/);
    while (!serve.output().includes('"on-call handoff published"')) {
      if (serve.child.exitCode !== null) throw new Error(serve.output());
      await sleep(50);
    }
    const posted = serve.output().split('\n').find((line) => line.includes('on-call handoff (no chat configured: logged only)'));
    assert.ok(posted, serve.output());
    const entry = JSON.parse(posted) as { channel: string; quiet: boolean; headline: string[] };
    assert.equal(entry.channel, '#oncall');
    assert.equal(entry.quiet, true);
    assert.deepEqual(entry.headline, ['Quiet shift: no open incidents, nothing resolved, no fix PRs waiting, no CI failures.']);
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
  });
});
