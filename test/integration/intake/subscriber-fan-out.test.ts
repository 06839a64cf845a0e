import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import type { IncidentChange } from '../../../src/domain/incident-change.js';
import { subscriberQueue } from '../../../src/adapters/alerts/intake-service.js';
import { describeOnBackends } from '../../support/databases.js';
import { alertmanagerBody, startIntakeServer } from '../../support/intake.js';

describeOnBackends('incident changes fan out to one queue per subscriber', (backend) => {
  it('a failing subscriber is retried alone: the others see each change once, and it catches up when it recovers', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 10));
    const seen: IncidentChange[] = [];
    let slackUp = false;
    const slackCalls: string[] = [];
    const server = await startIntakeServer({
      backend,
      clock,
      subscribers: [
        { name: 'slack-down', onIncidentChange: async (change) => {
          slackCalls.push(change.id);
          if (!slackUp) throw new Error('Slack answered 503');
        } },
        { name: 'recorder', onIncidentChange: async (change) => void seen.push(change) },
      ],
    });
    assert.equal((await server.post('alertmanager', alertmanagerBody([{ name: 'DiskFull', fingerprint: 'd1' }], 'g'))).status, 202);
    await server.service.intake.drain();
    assert.equal(seen.length, 1, 'the healthy subscriber got the change although the other failed');
    assert.equal(slackCalls.length, 1);

    // Past the first backoff the failing subscriber is retried; the recorder is not called again.
    slackUp = true;
    clock.advance(5_000);
    await server.service.intake.drain();
    assert.equal(seen.length, 1, 'no redelivery to a subscriber that already succeeded');
    assert.deepEqual(slackCalls, [seen[0]!.id, seen[0]!.id], 'the failing subscriber got the same change again and succeeded');
    const counts = await server.service.intake.jobs.counts({ open: true });
    const ours = [subscriberQueue({ name: 'slack-down' }), subscriberQueue({ name: 'recorder' })];
    assert.deepEqual(counts.filter((row) => ours.includes(row.queue)), [], 'nothing left pending in their delivery queues');
    // The responder (Chroma is unreachable here) keeps its change pending for a retry: nothing lost.
    assert.ok(counts.some((row) => row.queue === subscriberQueue({ name: 'respond' }) && row.state === 'pending'));
  });
});
