import { LogLevel, WebClient } from '@slack/web-api';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { handoffReply, slackHandoffPublisher } from '../../../src/adapters/slack/handoff-reply.js';
import { manualClock } from '../../../src/domain/clock.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { createHandoffService } from '../../../src/pipeline/handoff/service.js';
import { FakeSlack } from '../../../src/sandbox/index.js';
import { storeHandoffSources } from '../../../src/store/handoff-sources.js';
import { storedKillSwitch } from '../../../src/store/kill-switch.js';
import { SettingsRepo } from '../../../src/store/settings-repo.js';
import { freshStore } from '../../support/databases.js';
import { T, WINDOW, seedHandoffStore } from '../../support/handoff-seed.js';

describe('handoff in Slack (the Slack fake through @slack/web-api)', () => {
  it('the scheduled handoff posts to the on-call channel as valid Block Kit; /pitcrew handoff answers with blocks or a usage hint', async () => {
    const store = await freshStore('sqlite');
    await seedHandoffStore(store);
    const slack = await FakeSlack.start();
    after(() => slack.stop());
    const oncall = slack.addChannel('oncall', { members: [] });
    const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
    const service = createHandoffService({
      sources: storeHandoffSources({ db: store.db, killSwitch: storedKillSwitch(new SettingsRepo(store.db, manualClock())) }),
      clock: manualClock(T('18:00')),
      log: silentLogger(),
      timeZone: 'Europe/Berlin',
      publishers: [slackHandoffPublisher(web, 'Europe/Berlin')],
      channel: oncall.id,
    });

    const { published } = await service.publishShift(WINDOW);
    assert.equal(published[0]?.error, undefined);
    const [message] = slack.messages('oncall');
    assert.ok(message, 'posted to #oncall');
    assert.match(message.text ?? '', /^On-call handoff: 2 open incidents \(1 critical\), 1 without an owner\./);
    assert.match(JSON.stringify(message.blocks), /MTTR mean 59m, median 53m/);

    const reply = await handoffReply(service, 'since 13:00');
    assert.equal(reply.ok, true);
    assert.match(JSON.stringify(reply.blocks), /On-call handoff \(6h\)/);
    const bad = await handoffReply(service, 'since lunch');
    assert.equal(bad.ok, false);
    assert.match(bad.text, /"lunch" is neither a duration nor a time\. Give a duration such as 12h.*Usage: `\/pitcrew handoff \[12h \| since 18:00\]`/);
  });
});
