import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { describeFeatures } from '../../../src/config/features.js';
import { readEnvironment } from '../../../src/config/read-environment.js';
import { tempDir } from '../../support/tmp.js';

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

describe('config', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv');
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, '/srv/.pitcrew');
    assert.deepEqual(config.store, { kind: 'sqlite', file: '/srv/.pitcrew/pitcrew.db' });
    assert.deepEqual(config.chroma, { kind: 'embedded', dataDir: '/srv/.pitcrew/chroma', port: 0 });
    assert.equal(config.slack, null);
    assert.equal(config.github, null);
    assert.equal(config.llm, null);
    assert.equal(config.dryRun, false);
  });

  it('treats an empty value as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: ' ' }, '/srv').port, 3000);
  });

  it('selects Postgres or an explicit SQLite file from DATABASE_URL', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' }, '/srv').store, { kind: 'postgres', url: 'postgres://u:p@db:5432/x' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:data/p.db' }, '/srv').store, { kind: 'sqlite', file: '/srv/data/p.db' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:///var/p.db' }, '/srv').store, { kind: 'sqlite', file: '/var/p.db' });
  });

  it('uses a remote Chroma when CHROMA_URL is set', () => {
    assert.deepEqual(loadConfig({ CHROMA_URL: 'http://chroma:8000' }, '/srv').chroma, { kind: 'remote', url: 'http://chroma:8000' });
  });

  it('names the variable, the bad value and the fix for PORT=abc', () => {
    const [problem, ...rest] = problemsOf({ PORT: 'abc' });
    assert.equal(rest.length, 0);
    assert.equal(problem!.variable, 'PORT');
    assert.match(problem!.message, /not a number/);
    assert.match(problem!.message, /"abc"/);
    assert.match(problem!.message, /PORT=3000/);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'nonsense', LOG_LEVEL: 'loud', CHROMA_URL: 'ftp://x' });
    assert.deepEqual(problems.map((p) => p.variable).sort(), ['CHROMA_URL', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    const database = problems.find((p) => p.variable === 'DATABASE_URL')!;
    assert.match(database.message, /Unset DATABASE_URL to use the embedded SQLite file/);
  });

  it('never echoes a secret value in an error', () => {
    const [problem] = problemsOf({ SLACK_BOT_TOKEN: 'super-secret-value' });
    assert.equal(problem!.variable, 'SLACK_BOT_TOKEN');
    assert.doesNotMatch(problem!.message, /super-secret-value/);
  });

  it('asks for the missing half of a partial Slack setup', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' });
    assert.deepEqual(problems.map((p) => p.variable), ['SLACK_SIGNING_SECRET']);
    assert.match(problems[0]!.message, /required because SLACK_BOT_TOKEN is set/);
  });

  it('names the private key file that does not exist', () => {
    const problems = problemsOf({ APP_ID: '1', PRIVATE_KEY_PATH: 'missing.pem', WEBHOOK_SECRET: 's' });
    assert.equal(problems[0]!.variable, 'PRIVATE_KEY_PATH');
    assert.match(problems[0]!.message, /\/srv\/missing\.pem does not exist/);
  });

  it('reads a GitHub App key from a file and accepts \\n-escaped keys', () => {
    const dir = tempDir();
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n';
    writeFileSync(join(dir, 'key.pem'), pem);
    const fromFile = loadConfig({ APP_ID: '7', PRIVATE_KEY_PATH: 'key.pem', WEBHOOK_SECRET: 's' }, dir);
    assert.equal(fromFile.github?.privateKey, pem);
    const inline = loadConfig({ APP_ID: '7', PRIVATE_KEY: pem.replace(/\n/g, '\\n'), WEBHOOK_SECRET: 's' }, dir);
    assert.equal(inline.github?.privateKey, pem);
    assert.equal(inline.github?.apiUrl, 'https://api.github.com');
  });

  it('requires a key for the chosen LLM provider', () => {
    assert.deepEqual(problemsOf({ PITCREW_LLM: 'anthropic' }).map((p) => p.variable), ['ANTHROPIC_API_KEY']);
    const local = loadConfig({ PITCREW_LLM: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.1' }, '/srv');
    assert.deepEqual(local.llm, { provider: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'not-needed', model: 'llama3.1' });
  });

  it('says what is off and how to turn it on', () => {
    const features = describeFeatures(loadConfig({ ANTHROPIC_API_KEY: 'k' }, '/srv'));
    const byName = Object.fromEntries(features.map((f) => [f.name, f]));
    assert.equal(byName.slack!.on, false);
    assert.match(byName.slack!.detail, /SLACK_BOT_TOKEN/);
    assert.match(byName.llm!.detail, /set PITCREW_LLM=anthropic/);
    assert.equal(byName['dry run']!.on, false);
  });

  it('masks the Postgres password in descriptions', () => {
    const features = describeFeatures(loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/x' }, '/srv'));
    assert.doesNotMatch(JSON.stringify(features), /hunter2/);
  });

  it('reads .env, with the real environment winning', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4000\nLOG_LEVEL=debug\n');
    const env = readEnvironment(dir, { PORT: '5000' });
    assert.equal(env.PORT, '5000');
    assert.equal(env.LOG_LEVEL, 'debug');
  });
});
