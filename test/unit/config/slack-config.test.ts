import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: 'secret' };

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Slack configuration', () => {
  it('reads the channel, who may act, and the identity map', () => {
    const config = loadConfig({ ...base, SLACK_CHANNEL: '#ops', SLACK_RESPONDERS: 'S0614TZR7, U012AB3CD', SLACK_OPERATORS: 'U012AB3CD', SLACK_GITHUB_USERS: 'U012AB3CD=octocat, U045EF6GH=hubot' });
    assert.equal(config.slack?.channel, 'ops');
    assert.deepEqual(config.slack?.responders, ['S0614TZR7', 'U012AB3CD']);
    assert.deepEqual(config.slack?.operators, ['U012AB3CD']);
    assert.deepEqual(config.slack?.githubUsers, { U012AB3CD: 'octocat', U045EF6GH: 'hubot' });
  });

  it('defaults: channel "incidents", anyone may respond, nobody may pause from Slack', () => {
    const config = loadConfig(base);
    assert.equal(config.slack?.channel, 'incidents');
    assert.equal(config.slack?.responders, null);
    assert.deepEqual(config.slack?.operators, []);
  });

  it('names the variable and the expected form when a list is malformed', () => {
    const problems = problemsOf({ ...base, SLACK_RESPONDERS: 'alice, @sre', SLACK_GITHUB_USERS: 'U1=', SLACK_CHANNEL: 'Bad Channel' });
    assert.deepEqual(problems.map((p) => p.variable).sort(), ['SLACK_CHANNEL', 'SLACK_GITHUB_USERS', 'SLACK_RESPONDERS']);
    assert.match(problems.find((p) => p.variable === 'SLACK_RESPONDERS')!.message, /user ids \(U…\) and user group ids \(S…\)/);
  });
});
