import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackAuthorizer } from '../../../../src/adapters/slack/authorize.js';
import type { SlackOutbound } from '../../../../src/adapters/slack/outbound.js';
import { manualClock } from '../../../../src/domain/clock.js';
import { silentLogger } from '../../../../src/ops/logger.js';

function outbound(groups: Record<string, string[] | Error>): SlackOutbound & { calls: number } {
  const fake = {
    calls: 0,
    call: async (_method: string, fn: (client: unknown) => Promise<unknown>) => {
      fake.calls++;
      return fn({ usergroups: { users: { list: async ({ usergroup }: { usergroup: string }) => {
        const users = groups[usergroup];
        if (users instanceof Error) throw users;
        return { ok: true, users: users ?? [] };
      } } } });
    },
  };
  return fake as unknown as SlackOutbound & { calls: number };
}

describe('slackAuthorizer', () => {
  const clock = manualClock(0);

  it('lets anyone respond when SLACK_RESPONDERS is unset, nobody operate when SLACK_OPERATORS is unset', async () => {
    const authz = slackAuthorizer({ responders: null, operators: [], githubUsers: {} }, { outbound: outbound({}), clock, log: silentLogger() });
    assert.equal((await authz.check('U1', 'respond')).allowed, true);
    const operate = await authz.check('U1', 'operate');
    assert.equal(operate.allowed, false);
    assert.match(operate.reason!, /SLACK_OPERATORS is not set/);
  });

  it('matches user ids and user group members, caching groups for a minute', async () => {
    const slack = outbound({ S1: ['U2'] });
    const authz = slackAuthorizer({ responders: ['U1', 'S1'], operators: ['S1'], githubUsers: { U2: 'octocat' } }, { outbound: slack, clock, log: silentLogger() });
    assert.equal((await authz.check('U1', 'respond')).allowed, true);
    assert.equal((await authz.check('U2', 'respond')).allowed, true);
    assert.equal((await authz.check('U2', 'operate')).allowed, true);
    const refused = await authz.check('U3', 'respond');
    assert.equal(refused.allowed, false);
    assert.match(refused.reason!, /SLACK_RESPONDERS/);
    assert.equal(slack.calls, 1, 'the group was read once');
    assert.equal(authz.githubLogin('U2'), 'octocat');
    assert.equal(authz.githubLogin('U1'), undefined);
  });

  it('fails closed when a group cannot be read', async () => {
    const authz = slackAuthorizer({ responders: ['S9'], operators: ['S9'], githubUsers: {} }, { outbound: outbound({ S9: new Error('missing_scope') }), clock, log: silentLogger() });
    assert.equal((await authz.check('U2', 'respond')).allowed, false);
    assert.equal((await authz.check('U2', 'operate')).allowed, false);
  });
});
