import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeLine } from '../../../src/diagnosis/normalize.js';
import { StepTracker } from '../../../src/diagnosis/steps.js';

function track(lines: string[]) {
  const tracker = new StepTracker();
  const failedAt: number[] = [];
  lines.forEach((raw, i) => {
    if (tracker.push(i + 1, normalizeLine(raw))) failedAt.push(i + 1);
  });
  return { steps: tracker.finishLog(lines.length), failedAt, tracker };
}

describe('StepTracker', () => {
  it('splits a GitHub Actions log into its steps and finds the one that failed', () => {
    const { steps, failedAt } = track([
      '2026-01-01T00:00:00.0000000Z ##[group]Run actions/checkout@v4',
      '2026-01-01T00:00:00.0000000Z ##[endgroup]',
      '2026-01-01T00:00:01.0000000Z Syncing repository',
      '2026-01-01T00:00:02.0000000Z ##[group]Run npm test',
      '2026-01-01T00:00:02.0000000Z ##[endgroup]',
      '2026-01-01T00:00:03.0000000Z Tests: 1 failed',
      '2026-01-01T00:00:03.0000000Z ##[error]Process completed with exit code 1.',
      '2026-01-01T00:00:04.0000000Z Post job cleanup.',
    ]);
    assert.deepEqual(steps.map((s) => [s.name, s.start, s.end, s.status]), [
      ['actions/checkout@v4', 1, 3, 'unknown'],
      ['npm test', 4, 7, 'failed'],
      ['Post job cleanup', 8, 8, 'unknown'],
    ]);
    assert.deepEqual(failedAt, [7]);
    assert.equal(steps[1]!.exitCode, 1);
  });

  it('counts any ##[error] annotation as a failed step', () => {
    const { steps } = track(['##[group]Run docker/bake-action@v5', '##[endgroup]', 'building', '##[error]buildx bake failed with: ERROR: failed to solve']);
    assert.equal(steps[0]!.status, 'failed');
    assert.equal(steps[0]!.failureLine, 4);
  });

  it('starts a Travis step at its `$ command` echo and ends it at the exit marker', () => {
    const { steps } = track([
      'Worker information',
      '$ npm ci',
      'added 120 packages',
      'The command "npm ci" exited with 0.',
      '$ npm test',
      '> jest',
      'Tests: 1 failed',
      'The command "npm test" exited with 1.',
      '',
      'Done. Your build exited with 1.',
    ]);
    const failed = steps.filter((s) => s.status === 'failed');
    assert.equal(failed.length, 1);
    assert.deepEqual([failed[0]!.name, failed[0]!.start, failed[0]!.end, failed[0]!.exitCode], ['npm test', 5, 8, 1]);
    assert.ok(steps.some((s) => s.name === 'npm ci' && s.status === 'passed'));
  });

  it('treats a Travis stall as a timeout (exit 124)', () => {
    const { steps } = track(['$ make test', 'running...', 'No output has been received in the last 10m0s, this potentially indicates a stalled build.']);
    assert.equal(steps.find((s) => s.status === 'failed')?.exitCode, 124);
  });

  it('recognizes Jenkins and GitLab failure markers', () => {
    assert.equal(track(['+ mvn test', "Build step 'Execute shell' marked build as failure", 'Finished: FAILURE']).failedAt.length, 1);
    assert.equal(track(['$ make', 'ERROR: Job failed: exit code 2']).steps[0]!.exitCode, 2);
  });

  it('uses the step column of `gh run view --log` output', () => {
    const { steps } = track(['build\tSet up job\t2026-01-01T00:00:00.0Z Runner', 'build\tRun tests\t2026-01-01T00:00:01.0Z FAIL x', 'build\tRun tests\t2026-01-01T00:00:02.0Z ##[error]Process completed with exit code 1.']);
    assert.deepEqual(steps.map((s) => [s.name, s.status]), [['Set up job', 'unknown'], ['Run tests', 'failed']]);
  });

  it('finds the step of any line', () => {
    const { tracker } = track(['##[group]Run a', 'x', '##[group]Run b', 'y']);
    assert.equal(tracker.stepAt(2), 0);
    assert.equal(tracker.stepAt(4), 1);
  });
});
