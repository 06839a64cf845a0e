import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { AppRecord, DispatchRecord, JobRecord, JobScript, RepoRecord, RunConclusion, WorkflowRecord, WorkflowRunRecord } from '../model.js';
import { raiseWorkflowJob, raiseWorkflowRun } from '../webhooks/events.js';
import { createCheckRun, updateCheckRun } from './checks.js';
import { findWorkflow, readDefinition } from './workflows.js';

/** How a workflow's runs play out in the fake. */
export interface WorkflowScript {
  /** The jobs and their outcomes; defaults to the workflow file's jobs, all successful. */
  jobs?: JobScript[];
  /** How long a run stays in progress before completing (default 0: on the next tick). */
  durationMs?: number;
  /** Leave runs in progress until completeRun() is called. */
  manual?: boolean;
}

export interface RunRequest {
  workflow: WorkflowRecord;
  event: string;
  headBranch: string;
  headSha: string;
  actor: string;
  inputs?: Record<string, string> | null;
  displayTitle?: string;
  /** Overrides the registered script for this one run. */
  script?: WorkflowScript;
}

const FAILING: RunConclusion[] = ['failure', 'cancelled', 'timed_out', 'startup_failure' as RunConclusion];

/**
 * Plays GitHub Actions: dispatches and simulated CI runs become workflow runs
 * whose jobs (check runs of the `github-actions` app) go queued → in progress →
 * completed with scripted conclusions and logs, raising workflow_run,
 * workflow_job and check_run events on the way.
 */
export class ActionsRunner {
  private readonly scripts = new Map<string, WorkflowScript>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly runNumbers = new Map<number, number>();

  constructor(
    private readonly core: GitHubCore,
    private readonly actionsApp: () => AppRecord,
  ) {}

  /** Sets how runs of `workflowPath` (e.g. `.github/workflows/deploy.yml` or `deploy.yml`) behave in `repo`. */
  script(repo: RepoRecord, workflowPath: string, script: WorkflowScript): void {
    this.scripts.set(`${repo.fullName.toLowerCase()}:${normalize(workflowPath)}`, script);
  }

  private scriptFor(repo: RepoRecord, workflow: WorkflowRecord): WorkflowScript | undefined {
    return this.scripts.get(`${repo.fullName.toLowerCase()}:${normalize(workflow.path)}`);
  }

  /** `POST /actions/workflows/{id}/dispatches`, validated like GitHub validates it. */
  async dispatch(repo: RepoRecord, workflowId: string, actor: string, input: { ref: string; inputs?: Record<string, unknown> }): Promise<{ dispatch: DispatchRecord; run: WorkflowRunRecord }> {
    const workflow = await findWorkflow(this.core, repo, workflowId);
    const ref = input.ref.replace(/^refs\/(heads|tags)\//, '');
    const sha = (await repo.git.readRef(`refs/heads/${ref}`)) ?? (await repo.git.readRef(`refs/tags/${ref}`));
    if (!sha) throw ApiError.unprocessable(`No ref found for: ${input.ref}`);
    const definition = await readDefinition(repo, workflow, sha);
    if (!definition?.dispatchable) throw ApiError.unprocessable("Workflow does not have 'workflow_dispatch' trigger");
    const given = input.inputs ?? {};
    const unexpected = Object.keys(given).filter((name) => !(name in definition.inputs));
    if (unexpected.length > 0) throw ApiError.unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(definition.inputs)) {
      const value = given[name] ?? spec.default;
      if (value === undefined || value === '') {
        if (spec.required) throw ApiError.unprocessable(`Required input '${name}' not provided`);
        continue;
      }
      inputs[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const run = await this.startRun(repo, { workflow, event: 'workflow_dispatch', headBranch: ref, headSha: sha, actor, inputs, displayTitle: definition.name }, definition.jobs);
    const dispatch: DispatchRecord = { id: this.core.id(), repo: repo.fullName, workflowId: workflow.id, workflowPath: workflow.path, ref: input.ref, inputs, actor, at: this.core.now(), runId: run.id };
    this.core.dispatches.push(dispatch);
    return { dispatch, run };
  }

  /** Creates a run (for dispatches, or simulated `push`/`pull_request` CI) and starts playing it. */
  async startRun(repo: RepoRecord, request: RunRequest, definedJobs: string[] = []): Promise<WorkflowRunRecord> {
    const script = request.script ?? this.scriptFor(repo, request.workflow) ?? {};
    const jobs = script.jobs ?? (definedJobs.length > 0 ? definedJobs : ['build']).map((name) => ({ name, conclusion: 'success' as const }));
    const now = this.core.now();
    const runNumber = (this.runNumbers.get(request.workflow.id) ?? 0) + 1;
    this.runNumbers.set(request.workflow.id, runNumber);
    const run: WorkflowRunRecord = {
      id: this.core.id(),
      repo: repo.fullName,
      workflowId: request.workflow.id,
      name: request.workflow.name,
      event: request.event,
      headBranch: request.headBranch,
      headSha: request.headSha,
      status: 'queued',
      conclusion: null,
      runNumber,
      runAttempt: 1,
      actor: request.actor,
      triggeringActor: request.actor,
      createdAt: now,
      updatedAt: now,
      runStartedAt: now,
      checkSuiteId: 0,
      displayTitle: request.displayTitle ?? request.workflow.name,
      inputs: request.inputs ?? null,
      jobs: [],
      durationMs: script.durationMs ?? 0,
    };
    this.core.runs.set(run.id, run);
    await this.queueJobs(repo, run, jobs.map((job) => ({ script: job, rerun: false })));
    await raiseWorkflowRun(this.core, repo, run, 'requested');
    this.play(repo, run, script.manual ?? false);
    return run;
  }

  private async queueJobs(repo: RepoRecord, run: WorkflowRunRecord, jobs: Array<{ script: JobScript; rerun: boolean }>): Promise<void> {
    const app = this.actionsApp();
    for (const { script, rerun } of jobs) {
      const check = await createCheckRun(this.core, repo, app, app.botLogin, { name: script.name, headSha: run.headSha, status: 'queued' }, run.headBranch);
      run.checkSuiteId = check.checkSuiteId;
      const now = this.core.now();
      const steps = script.steps ?? [{ name: 'Set up job', conclusion: 'success' as const }, { name: `Run ${script.name}`, conclusion: rerun ? (script.rerunConclusion ?? script.conclusion) : script.conclusion }];
      const job: JobRecord = {
        id: check.id,
        repo: repo.fullName,
        runId: run.id,
        runAttempt: run.runAttempt,
        name: script.name,
        status: 'queued',
        conclusion: null,
        createdAt: now,
        startedAt: now,
        completedAt: null,
        steps: steps.map((step, index) => ({ name: step.name, number: index + 1, status: 'queued' as const, conclusion: null, startedAt: now, completedAt: null })),
        log: (rerun ? (script.rerunLog ?? script.log) : script.log) ?? defaultLog(script.name, rerun ? (script.rerunConclusion ?? script.conclusion) : script.conclusion),
        checkRunId: check.id,
        script: { ...script, conclusion: rerun ? (script.rerunConclusion ?? script.conclusion) : script.conclusion, steps },
      };
      this.core.jobs.set(job.id, job);
      run.jobs.push(job);
      raiseWorkflowJob(this.core, repo, job, 'queued');
    }
  }

  private play(repo: RepoRecord, run: WorkflowRunRecord, manual: boolean): void {
    this.track(async () => {
      run.status = 'in_progress';
      run.updatedAt = this.core.now();
      for (const job of this.attemptJobs(run)) {
        job.status = 'in_progress';
        job.startedAt = this.core.now();
        updateCheckRun(this.core, repo, this.core.checkRuns.get(job.checkRunId)!, this.actionsApp(), this.actionsApp().botLogin, { status: 'in_progress' });
        raiseWorkflowJob(this.core, repo, job, 'in_progress');
      }
      await raiseWorkflowRun(this.core, repo, run, 'in_progress');
      if (manual) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, run.durationMs);
        this.timers.add(timer);
      });
      await this.finish(repo, run);
    });
  }

  /** Completes a run left in progress (`manual` scripts), optionally overriding job conclusions by name. */
  async completeRun(repo: RepoRecord, runId: number, conclusions: Record<string, RunConclusion> = {}): Promise<WorkflowRunRecord> {
    const run = this.findRun(repo, runId);
    if (run.status === 'completed') throw new Error(`run ${runId} is already completed`);
    for (const job of this.attemptJobs(run)) if (conclusions[job.name]) job.script = { ...job.script, conclusion: conclusions[job.name]! };
    await this.finish(repo, run);
    return run;
  }

  private async finish(repo: RepoRecord, run: WorkflowRunRecord): Promise<void> {
    const app = this.actionsApp();
    for (const job of this.attemptJobs(run)) {
      const now = this.core.now();
      job.status = 'completed';
      job.conclusion = job.script.conclusion;
      job.completedAt = now;
      job.steps.forEach((step, index) => {
        step.status = 'completed';
        step.conclusion = job.script.steps?.[index]?.conclusion ?? job.script.conclusion;
        step.completedAt = now;
      });
      updateCheckRun(this.core, repo, this.core.checkRuns.get(job.checkRunId)!, app, app.botLogin, { conclusion: job.conclusion });
      raiseWorkflowJob(this.core, repo, job, 'completed');
    }
    const latest = this.latestJobs(run);
    run.status = 'completed';
    run.conclusion = latest.some((job) => FAILING.includes(job.conclusion!)) ? 'failure' : 'success';
    if (latest.some((job) => job.conclusion === 'cancelled') && !latest.some((job) => job.conclusion === 'failure')) run.conclusion = 'cancelled';
    run.updatedAt = this.core.now();
    await raiseWorkflowRun(this.core, repo, run, 'completed');
  }

  /** `POST /actions/runs/{id}/rerun-failed-jobs` (or `/rerun` with `all`): a new attempt. */
  async rerun(repo: RepoRecord, runId: number, actor: string, which: 'failed' | 'all'): Promise<WorkflowRunRecord> {
    const run = this.findRun(repo, runId);
    if (run.status !== 'completed') throw new ApiError(403, 'This workflow is already running');
    const latest = this.latestJobs(run);
    const again = which === 'all' ? latest : latest.filter((job) => job.conclusion !== 'success' && job.conclusion !== 'skipped' && job.conclusion !== 'neutral');
    if (again.length === 0) throw new ApiError(403, 'This workflow run cannot be retried: it has no failed jobs');
    run.runAttempt++;
    run.status = 'queued';
    run.conclusion = null;
    run.triggeringActor = actor;
    run.runStartedAt = this.core.now();
    run.updatedAt = run.runStartedAt;
    const script = this.scriptFor(repo, this.core.workflows.get(run.workflowId)!);
    await this.queueJobs(repo, run, again.map((job) => ({ script: job.script, rerun: true })));
    await raiseWorkflowRun(this.core, repo, run, 'requested');
    this.play(repo, run, script?.manual ?? false);
    return run;
  }

  findRun(repo: RepoRecord, runId: number): WorkflowRunRecord {
    const run = this.core.runs.get(runId);
    if (!run || run.repo !== repo.fullName) throw ApiError.notFound();
    return run;
  }

  /** Jobs of the run's current attempt. */
  attemptJobs(run: WorkflowRunRecord): JobRecord[] {
    return run.jobs.filter((job) => job.runAttempt === run.runAttempt);
  }

  /** The latest execution of each job (GitHub's `filter=latest`). */
  latestJobs(run: WorkflowRunRecord): JobRecord[] {
    const byName = new Map<string, JobRecord>();
    for (const job of run.jobs) byName.set(job.name, job);
    return [...byName.values()];
  }

  /** Whether a run is playing on a timer. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when no run is in progress on a timer (manual runs excepted). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(fn: () => Promise<void>): void {
    const promise: Promise<void> = Promise.resolve()
      .then(fn)
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(promise));
    this.inFlight.add(promise);
  }
}

function normalize(path: string): string {
  return path.includes('/') ? path : `.github/workflows/${path}`;
}

function defaultLog(name: string, conclusion: RunConclusion): string {
  const stamp = '2026-01-01T00:00:00.0000000Z';
  return [
    `${stamp} ##[group]Run ${name}`,
    `${stamp} Running ${name}`,
    `${stamp} ##[endgroup]`,
    conclusion === 'success' ? `${stamp} ${name} finished` : `${stamp} ##[error]Process completed with exit code 1.`,
    '',
  ].join('\n');
}
