import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { repoConfigJsonSchema, repoConfigJsonSchemaText } from '../../../src/config/repo-config/json-schema.js';
import { describeProblem, parseRepoConfig, type RepoConfigProblem } from '../../../src/config/repo-config/parse.js';
import { approversFor, splitApprovers } from '../../../src/config/repo-config/schema.js';
import { executionWindowVerdict } from '../../../src/config/repo-config/windows.js';

const problems = (text: string): RepoConfigProblem[] => {
  const result = parseRepoConfig(text);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.problems;
};

describe('.github/pitcrew.yml parsing', () => {
  it('accepts the documented example and fills defaults', () => {
    const result = parseRepoConfig(readFileSync('docs/pitcrew.example.yml', 'utf8'));
    assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => describeProblem(p, 'example')).join('\n'));
    assert.deepEqual(result.config.requiredApprovals, { low: 1, medium: 1, high: 2 });
    assert.equal(result.config.auditBranch, 'pitcrew-audit');
    assert.equal(result.config.codeowners, true);
    const minimal = parseRepoConfig('approvers:\n  low: [alice]\n');
    assert.ok(minimal.ok);
    assert.deepEqual({ paused: minimal.config.paused, windows: minimal.config.executionWindows, breaker: minimal.config.breaker }, { paused: false, windows: [], breaker: { failures: 3, windowMinutes: 60 } });
  });

  it('names the line, the key and a fix for each problem, in file order', () => {
    const found = problems([
      'approvers:',
      '  low: [alice, "@acme/sre"]',
      '  hgih: [bob]',
      'requiredApprovals:',
      '  high: two',
      'executionWindows:',
      '  - start: "9:00"',
      '    end: "17:00"',
      'paused: yes',
    ].join('\n'));
    assert.deepEqual(found.map((p) => [p.line, p.key]), [[3, 'approvers.hgih'], [5, 'requiredApprovals.high'], [7, 'executionWindows[0].start'], [9, 'paused']]);
    assert.equal(found[0]!.fix, 'Did you mean "high"? Rename it, or remove it.');
    assert.equal(found[1]!.message, 'is "two", but must be a whole number, e.g. 2');
    assert.equal(found[2]!.fix, 'Make it a 24-hour time HH:MM, e.g. "09:00".');
    assert.equal(found[3]!.fix, 'Write true or false.');
    assert.equal(describeProblem(found[1]!, '.github/pitcrew.yml'), '.github/pitcrew.yml:5:9: requiredApprovals.high is "two", but must be a whole number, e.g. 2. Fix: Write a whole number, e.g. 2.');
  });

  it('suggests the allowed value closest to a typo', () => {
    const [problem] = problems('approvers: {low: [alice]}\npolicy:\n  actions: [notfy]\n');
    assert.equal(problem!.line, 3);
    assert.match(problem!.fix, /^Did you mean "notify"\? Use one of: gitops\.patch, /);
  });

  it('reports YAML syntax errors on their line, with what to do', () => {
    const [tab] = problems('approvers:\n\tlow: [alice]\n');
    assert.deepEqual([tab!.line, tab!.fix], [2, 'Indent with spaces, not tabs.']);
    const [duplicate] = problems('approvers: {low: [a]}\napprovers: {low: [b]}\n');
    assert.deepEqual([duplicate!.line, duplicate!.fix], [2, 'Remove one of the two keys with the same name.']);
  });

  it('requires approvers, and at least one approval per risk', () => {
    const [missing] = problems('paused: true\n');
    assert.equal(missing!.key, 'approvers');
    assert.match(missing!.fix, /^Add it, e\.g\.\napprovers:\n {2}low:/);
    assert.match(problems('approvers: {}\n')[0]!.message, /must name approvers for at least one risk/);
    const [zero] = problems('approvers: {low: [alice]}\nrequiredApprovals: {high: 0}\n');
    assert.deepEqual([zero!.line, zero!.key, zero!.fix], [2, 'requiredApprovals.high', 'Make it at least 1.']);
  });

  it('rejects a file that is not a mapping, and bad approvers, time zones and branch names', () => {
    assert.match(problems('- alice\n')[0]!.message, /must be a mapping of keys/);
    assert.match(problems('approvers: {low: ["alice bob"]}\n')[0]!.message, /must be a GitHub login/);
    assert.match(problems('approvers: {low: [a]}\nexecutionWindows: [{start: "08:00", end: "09:00", timezone: Mars/Olympus}]\n')[0]!.fix, /IANA time zone/);
    assert.match(problems('approvers: {low: [a]}\nauditBranch: "../main"\n')[0]!.key, /auditBranch/);
  });

  it('does not expand YAML alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    const [problem] = problems(bomb);
    assert.match(problem!.message, /alias/i);
    assert.equal(problem!.fix, 'Write the values out instead of using YAML anchors and aliases.');
  });
});

describe('approvers per risk', () => {
  it('falls back to the nearest lower risk, never to a higher one', () => {
    const result = parseRepoConfig('approvers:\n  low: [alice, "@acme/sre"]\n  high: ["@acme/leads"]\n');
    assert.ok(result.ok);
    assert.deepEqual(approversFor(result.config, 'medium'), ['alice', '@acme/sre']);
    assert.deepEqual(approversFor(result.config, 'high'), ['@acme/leads']);
    const highOnly = parseRepoConfig('approvers: {high: [erin]}\n');
    assert.ok(highOnly.ok);
    assert.deepEqual(approversFor(highOnly.config, 'low'), []);
    const set = splitApprovers(['@Alice', 'bob', '@Acme/SRE']);
    assert.deepEqual([[...set.users], [...set.teams]], [['alice', 'bob'], ['acme/sre']]);
  });
});

describe('the JSON Schema for editors', () => {
  it('is committed and up to date (regenerate: pitcrew repo-config schema > docs/pitcrew.schema.json)', () => {
    assert.equal(readFileSync('docs/pitcrew.schema.json', 'utf8'), repoConfigJsonSchemaText());
  });

  it('accepts the example and rejects what the parser rejects', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(repoConfigJsonSchema());
    assert.ok(validate(parseYaml(readFileSync('docs/pitcrew.example.yml', 'utf8'))), JSON.stringify(validate.errors));
    for (const bad of ['approvers: {hgih: [bob]}', 'approvers: {low: [a]}\nrequiredApprovals: {high: two}', 'approvers: {low: [a]}\npaused: "yes"', 'approvers: {low: [a]}\nexecutionWindows: [{start: "9:00", end: "10:00"}]']) {
      assert.equal(validate(parseYaml(bad)), false, bad);
      assert.equal(parseRepoConfig(bad).ok, false, bad);
    }
  });
});

describe('execution windows', () => {
  const at = (iso: string) => Date.parse(iso);
  const parsed = parseRepoConfig([
    'approvers: {low: [a]}',
    'executionWindows:',
    '  - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00", timezone: Europe/Berlin, risks: [high]}',
    '  - {days: [fri], start: "22:00", end: "02:00", risks: [medium]}',
  ].join('\n'));
  assert.ok(parsed.ok);
  const windows = parsed.config.executionWindows;

  it('opens and closes in the window\'s own time zone', () => {
    assert.equal(executionWindowVerdict(windows, 'high', at('2026-01-05T07:30:00Z')).open, true, 'Monday 08:30 in Berlin');
    assert.equal(executionWindowVerdict(windows, 'high', at('2026-01-05T06:30:00Z')).open, false, 'Monday 07:30 in Berlin');
    const weekend = executionWindowVerdict(windows, 'high', at('2026-01-03T12:00:00Z'));
    assert.equal(weekend.open, false);
    assert.match(weekend.reason, /outside the execution windows for high risk \(mon,tue,wed,thu,fri 08:00–18:00 Europe\/Berlin\)/);
  });

  it('runs an overnight window past midnight, on the day after a listed day', () => {
    assert.equal(executionWindowVerdict(windows, 'medium', at('2026-01-09T23:00:00Z')).open, true, 'Friday 23:00');
    assert.equal(executionWindowVerdict(windows, 'medium', at('2026-01-10T01:00:00Z')).open, true, 'Saturday 01:00');
    assert.equal(executionWindowVerdict(windows, 'medium', at('2026-01-10T03:00:00Z')).open, false, 'Saturday 03:00');
    assert.equal(executionWindowVerdict(windows, 'medium', at('2026-01-08T23:00:00Z')).open, false, 'Thursday 23:00');
  });

  it('does not restrict risks no window applies to', () => {
    assert.deepEqual(executionWindowVerdict(windows, 'low', at('2026-01-03T12:00:00Z')), { open: true, reason: 'no execution window applies to low risk' });
    assert.equal(executionWindowVerdict([], 'high', 0).open, true);
  });
});
