import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { githubFixture, rejectsWith, webhookSink } from '../../support/sandbox.js';
import { tempDir } from '../../support/tmp.js';

const o = { owner: 'acme', repo: 'infra' };

const DEPLOY = `name: Deploy
on:
  workflow_dispatch:
    inputs:
      service:
        required: true
      replicas:
        default: "2"
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps: [{ run: echo deploy }]
`;
const CI = `name: CI
on: [pull_request, push]
jobs:
  test: { runs-on: ubuntu-latest, steps: [{ run: npm test }] }
  lint: { name: Lint, runs-on: ubuntu-latest, steps: [{ run: npm run lint }] }
`;

async function actionsFixture(options: { clock?: ReturnType<typeof manualClock> } = {}) {
  const sink = await webhookSink();
  const fixture = await githubFixture({
    webhookUrl: sink.url,
    ...(options.clock ? { clock: options.clock } : {}),
    files: { 'README.md': 'x\n', '.github/workflows/deploy.yml': DEPLOY, '.github/workflows/ci.yml': CI },
  });
  return { ...fixture, sink };
}

describe('GitHub fake: Actions', () => {
  it('lists workflows from the default branch and validates dispatches like GitHub', async () => {
    const { bot } = await actionsFixture();
    const { data: workflows } = await bot.actions.listRepoWorkflows(o);
    assert.deepEqual(workflows.workflows.map((workflow) => [workflow.name, workflow.path]), [['CI', '.github/workflows/ci.yml'], ['Deploy', '.github/workflows/deploy.yml']]);
    const dispatch = (workflow_id: string | number, ref: string, inputs?: Record<string, string>) => bot.actions.createWorkflowDispatch({ ...o, workflow_id, ref, ...(inputs ? { inputs } : {}) });
    assert.equal((await rejectsWith(dispatch('deploy.yml', 'main'), 422)).message, "Required input 'service' not provided");
    assert.equal((await rejectsWith(dispatch('deploy.yml', 'main', { service: 'web', color: 'red' }), 422)).message, 'Unexpected inputs provided: ["color"]');
    assert.equal((await rejectsWith(dispatch('deploy.yml', 'nope', { service: 'web' }), 422)).message, 'No ref found for: nope');
    assert.equal((await rejectsWith(dispatch('ci.yml', 'main'), 422)).message, "Workflow does not have 'workflow_dispatch' trigger");
    await rejectsWith(dispatch('missing.yml', 'main'), 404);
    const deploy = workflows.workflows.find((workflow) => workflow.name === 'Deploy')!;
    const accepted = await dispatch(deploy.id, 'main', { service: 'web' });
    assert.equal(accepted.status, 204);
  });

  it('records a dispatch, runs it to the scripted conclusion and raises workflow_run events', async () => {
    const { bot, fake, sink } = await actionsFixture();
    fake.scriptWorkflow('acme/infra', 'deploy.yml', { jobs: [{ name: 'deploy', conclusion: 'failure', log: '2026-01-01T00:00:00.0000000Z ##[error]rollout timed out\n' }] });
    await bot.actions.createWorkflowDispatch({ ...o, workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'web' } });
    const [dispatch] = fake.dispatches('acme/infra');
    assert.deepEqual([dispatch!.workflowPath, dispatch!.ref, dispatch!.inputs, dispatch!.actor], ['.github/workflows/deploy.yml', 'main', { service: 'web', replicas: '2' }, 'pitcrew[bot]']);
    await fake.settled();
    const { data: runs } = await bot.actions.listWorkflowRuns({ ...o, workflow_id: 'deploy.yml', event: 'workflow_dispatch' });
    assert.equal(runs.total_count, 1);
    const run = runs.workflow_runs[0]!;
    assert.deepEqual([run.id, run.status, run.conclusion, run.event, run.head_branch], [dispatch!.runId, 'completed', 'failure', 'workflow_dispatch', 'main']);
    assert.deepEqual(sink.of('workflow_run').map((hook) => hook.payload.action), ['requested', 'in_progress', 'completed']);
    const completed = sink.of('workflow_run', 'completed')[0]!.payload.workflow_run as { conclusion: string; id: number };
    assert.deepEqual([completed.id, completed.conclusion], [run.id, 'failure']);
    assert.deepEqual(sink.of('workflow_job').map((hook) => hook.payload.action), ['queued', 'in_progress', 'completed']);
    const actionsChecks = sink.of('check_run', 'completed').map((hook) => hook.payload.check_run as { app: { slug: string }; name: string; conclusion: string });
    assert.deepEqual(actionsChecks.map((check) => [check.app.slug, check.name, check.conclusion]), [['github-actions', 'deploy', 'failure']]);
  });

  it('serves job logs through a 302 to a short-lived URL that expires after a minute', async () => {
    const clock = manualClock(Date.now());
    const { bot, fake } = await actionsFixture({ clock });
    fake.scriptWorkflow('acme/infra', 'deploy.yml', { jobs: [{ name: 'deploy', conclusion: 'failure', log: 'line 1\n##[error]boom\n' }] });
    await bot.actions.createWorkflowDispatch({ ...o, workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'web' } });
    await fake.settled();
    const runId = fake.dispatches()[0]!.runId;
    const { data: jobs } = await bot.actions.listJobsForWorkflowRun({ ...o, run_id: runId });
    const job = jobs.jobs[0]!;
    assert.deepEqual([job.name, job.conclusion, job.steps!.at(-1)!.conclusion], ['deploy', 'failure', 'failure']);
    const { data: followed } = await bot.actions.downloadJobLogsForWorkflowRun({ ...o, job_id: job.id });
    assert.equal(followed, 'line 1\n##[error]boom\n', 'Octokit follows the redirect');

    const { token } = (await bot.auth({ type: 'installation' })) as { token: string };
    const redirect = await fetch(`${fake.url}/repos/acme/infra/actions/jobs/${job.id}/logs`, { headers: { authorization: `token ${token}` }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location')!;
    assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/_fake\/job-logs\/[0-9a-f]+\?/);
    const download = await fetch(location);
    assert.equal(download.status, 200, 'the link needs no token');
    assert.equal(await download.text(), 'line 1\n##[error]boom\n');
    clock.advance(61_000);
    const expired = await fetch(location);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /AuthenticationFailed/);
  });

  it('streams a log stored in a file', async () => {
    const { bot, fake } = await actionsFixture();
    const path = join(tempDir(), 'big.log');
    const line = '2026-01-01T00:00:00.0000000Z npm ERR! code ELIFECYCLE\n';
    writeFileSync(path, line.repeat(20_000));
    fake.scriptWorkflow('acme/infra', 'deploy.yml', { jobs: [{ name: 'deploy', conclusion: 'failure', log: { path } }] });
    await bot.actions.createWorkflowDispatch({ ...o, workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'web' } });
    await fake.settled();
    const job = fake.runs('acme/infra')[0]!.jobs[0]!;
    const { data } = await bot.actions.downloadJobLogsForWorkflowRun({ ...o, job_id: job.id });
    assert.equal((data as string).length, line.length * 20_000);
  });

  it('re-runs failed jobs as a new attempt, where a flaky job passes', async () => {
    const { bot, fake, sink } = await actionsFixture();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await bot.pulls.create({ ...o, title: 'fix', head: 'fix', base: 'main' })).data.number;
    const run = await fake.simulateRun('acme/infra', {
      workflow: 'ci.yml',
      branch: 'fix',
      script: { jobs: [{ name: 'test', conclusion: 'failure', rerunConclusion: 'success', log: 'FAIL flaky.test.ts\n' }, { name: 'Lint', conclusion: 'success' }] },
    });
    await fake.settled();
    const first = sink.of('workflow_run', 'completed')[0]!.payload.workflow_run as { conclusion: string; pull_requests: Array<{ number: number }>; event: string };
    assert.deepEqual([first.conclusion, first.event, first.pull_requests.map((p) => p.number)], ['failure', 'pull_request', [pr]]);
    await rejectsWith(bot.actions.reRunWorkflowFailedJobs({ ...o, run_id: 999_999 }), 404);
    const rerun = await bot.actions.reRunWorkflowFailedJobs({ ...o, run_id: run.id });
    assert.equal(rerun.status, 201);
    await fake.settled();
    const { data: after } = await bot.actions.getWorkflowRun({ ...o, run_id: run.id });
    assert.deepEqual([after.run_attempt, after.conclusion], [2, 'success']);
    const { data: latest } = await bot.actions.listJobsForWorkflowRun({ ...o, run_id: run.id });
    assert.deepEqual(latest.jobs.map((job) => [job.name, job.run_attempt, job.conclusion]), [['test', 2, 'success'], ['Lint', 1, 'success']]);
    const { data: all } = await bot.actions.listJobsForWorkflowRun({ ...o, run_id: run.id, filter: 'all' });
    assert.equal(all.total_count, 3);
    const { data: attempt1 } = await bot.actions.getWorkflowRunAttempt({ ...o, run_id: run.id, attempt_number: 1 });
    assert.equal(attempt1.conclusion, 'failure');
    await rejectsWith(bot.actions.reRunWorkflowFailedJobs({ ...o, run_id: run.id }), 403);
    assert.deepEqual(sink.of('workflow_run', 'completed').map((hook) => (hook.payload.workflow_run as { conclusion: string }).conclusion), ['failure', 'success']);
  });

  it('holds manual runs in progress until completed', async () => {
    const { bot, fake } = await actionsFixture();
    fake.scriptWorkflow('acme/infra', 'deploy.yml', { manual: true, jobs: [{ name: 'deploy', conclusion: 'success' }] });
    await bot.actions.createWorkflowDispatch({ ...o, workflow_id: 'deploy.yml', ref: 'main', inputs: { service: 'web' } });
    await fake.settled();
    const runId = fake.dispatches()[0]!.runId;
    assert.equal((await bot.actions.getWorkflowRun({ ...o, run_id: runId })).data.status, 'in_progress');
    await rejectsWith(bot.actions.downloadJobLogsForWorkflowRun({ ...o, job_id: fake.runs('acme/infra')[0]!.jobs[0]!.id }), 404);
    await fake.completeRun('acme/infra', runId, { deploy: 'timed_out' });
    const { data: run } = await bot.actions.getWorkflowRun({ ...o, run_id: runId });
    assert.deepEqual([run.status, run.conclusion], ['completed', 'failure']);
  });
});
