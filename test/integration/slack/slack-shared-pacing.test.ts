import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { SlackOutbound } from '../../../src/adapters/slack/outbound.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { redisDatastore } from '../../../src/ops/rate-limit/redis.js';
import { FakeSlack } from '../../../src/sandbox/index.js';

const REDIS = process.env.TEST_REDIS_URL;
const skip = REDIS ? false : 'TEST_REDIS_URL is unset; set it (e.g. redis://127.0.0.1:6379) to run the shared Slack pacing test';

/** Two replicas' outbound queues posting to one channel at once. */
async function twoReplicasPost(slack: FakeSlack, channelName: string, shared: boolean): Promise<SlackOutbound[]> {
  const channel = slack.addChannel(channelName).id;
  const outbounds = [0, 1].map(() => new SlackOutbound(
    new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }),
    silentLogger(),
    shared ? { shared: redisDatastore(REDIS!) } : {},
  ));
  await Promise.all(outbounds.flatMap((outbound, replica) => [1, 2, 3].map((n) => outbound.postMessage({ channel, text: `replica ${replica} message ${n}` }))));
  await Promise.all(outbounds.map((outbound) => outbound.stop()));
  return outbounds;
}

describe('Slack pacing shared by replicas through Redis', { skip }, () => {
  it('two replicas together never post more than one message a second in a channel, so Slack refuses none', async () => {
    const slack = await FakeSlack.start({ rateLimits: { perChannel: { perSecond: 1, burst: 1 }, tiers: true } });
    after(() => slack.stop());
    const channel = `shared-${Date.now()}`;
    const outbounds = await twoReplicasPost(slack, channel, true);
    assert.equal(slack.roots(channel).length, 6, 'every message posted, none dropped');
    assert.deepEqual(outbounds.map((outbound) => outbound.rateLimitedWaits), [0, 0], 'Slack never had to say 429');
    assert.ok(slack.minGapMs(channel) >= 900, `smallest gap between two messages in the channel: ${slack.minGapMs(channel)} ms`);

    // Without the shared datastore each replica paces only itself: together they go too fast.
    const alone = `alone-${Date.now()}`;
    const unshared = await twoReplicasPost(slack, alone, false);
    assert.equal(slack.roots(alone).length, 6);
    assert.ok(slack.minGapMs(alone) < 900 || unshared.some((outbound) => outbound.rateLimitedWaits > 0), 'the per-process pace alone is not enough for two replicas');
  });
});
