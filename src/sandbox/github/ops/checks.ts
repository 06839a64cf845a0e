import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { AnnotationRecord, AppRecord, CheckConclusion, CheckRunRecord, CheckStatus, CheckSuiteRecord, RepoRecord, StatusRecord } from '../model.js';
import { raiseCheckRun, raiseStatus } from '../webhooks/events.js';

const STATUS_STATES = ['error', 'failure', 'pending', 'success'] as const;
const CHECK_STATUSES: CheckStatus[] = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CONCLUSIONS: CheckConclusion[] = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'];
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_OUTPUT = 65_535;

export async function createStatus(
  core: GitHubCore,
  repo: RepoRecord,
  sha: string,
  login: string,
  input: { state: string; context?: string; description?: string | null; targetUrl?: string | null },
): Promise<StatusRecord> {
  if (!STATUS_STATES.includes(input.state as StatusRecord['state'])) throw ApiError.validation({ resource: 'Status', field: 'state', code: 'invalid' });
  if ((await repo.git.objectType(sha)) !== 'commit') throw ApiError.unprocessable(`No commit found for SHA: ${sha}`);
  if (input.description && input.description.length > 140) throw ApiError.validation({ resource: 'Status', field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' });
  const now = core.now();
  const status: StatusRecord = {
    id: core.id(),
    repo: repo.fullName,
    sha,
    state: input.state as StatusRecord['state'],
    context: input.context ?? 'default',
    description: input.description ?? null,
    targetUrl: input.targetUrl ?? null,
    creator: login,
    createdAt: now,
    updatedAt: now,
  };
  core.statuses.push(status);
  await raiseStatus(core, repo, status, login);
  return status;
}

/** The latest status per context for `sha`, newest first, and GitHub's combined state. */
export function combinedStatus(core: GitHubCore, repo: RepoRecord, sha: string): { state: string; statuses: StatusRecord[] } {
  const latest = new Map<string, StatusRecord>();
  for (const status of core.statuses) if (status.repo === repo.fullName && status.sha === sha) latest.set(status.context, status);
  const statuses = [...latest.values()].sort((a, b) => b.id - a.id);
  let state = 'success';
  if (statuses.length === 0 || statuses.some((status) => status.state === 'pending')) state = 'pending';
  if (statuses.some((status) => status.state === 'failure' || status.state === 'error')) state = 'failure';
  return { state, statuses };
}

function suiteFor(core: GitHubCore, repo: RepoRecord, app: AppRecord, headSha: string, headBranch: string | null): CheckSuiteRecord {
  const existing = [...core.checkSuites.values()].find((suite) => suite.repo === repo.fullName && suite.appId === app.id && suite.headSha === headSha);
  if (existing) return existing;
  const suite: CheckSuiteRecord = { id: core.id(), repo: repo.fullName, appId: app.id, headSha, headBranch, createdAt: core.now() };
  core.checkSuites.set(suite.id, suite);
  return suite;
}

export interface CheckRunInput {
  name?: string;
  headSha?: string;
  status?: string;
  conclusion?: string;
  detailsUrl?: string | null;
  externalId?: string | null;
  startedAt?: string;
  completedAt?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
}

function parseAnnotations(raw: unknown[] | undefined): AnnotationRecord[] {
  if (!raw) return [];
  if (raw.length > MAX_ANNOTATIONS_PER_REQUEST) {
    throw ApiError.unprocessable(`Invalid request.\n\nOnly ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request.`);
  }
  return raw.map((item, index) => {
    const a = (item ?? {}) as Record<string, unknown>;
    for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a[field] === undefined || a[field] === null || a[field] === '') {
        throw ApiError.unprocessable(`Invalid request.\n\n"${field}" wasn't supplied. (annotation ${index})`);
      }
    }
    if (!['notice', 'warning', 'failure'].includes(String(a.annotation_level))) {
      throw ApiError.unprocessable(`Invalid request.\n\nFor 'properties/annotation_level', "${String(a.annotation_level)}" is not a member of ["notice", "warning", "failure"].`);
    }
    const sameLine = a.start_line === a.end_line;
    return {
      path: String(a.path),
      startLine: Number(a.start_line),
      endLine: Number(a.end_line),
      startColumn: sameLine && typeof a.start_column === 'number' ? a.start_column : null,
      endColumn: sameLine && typeof a.end_column === 'number' ? a.end_column : null,
      annotationLevel: a.annotation_level as AnnotationRecord['annotationLevel'],
      title: typeof a.title === 'string' ? a.title : null,
      message: String(a.message),
      rawDetails: typeof a.raw_details === 'string' ? a.raw_details : null,
    };
  });
}

function validate(input: CheckRunInput): void {
  if (input.status !== undefined && !CHECK_STATUSES.includes(input.status as CheckStatus)) {
    throw ApiError.unprocessable(`Invalid request.\n\nFor 'properties/status', "${input.status}" is not a member of ["queued", "in_progress", "completed"].`);
  }
  if (input.conclusion !== undefined && !CONCLUSIONS.includes(input.conclusion as CheckConclusion)) {
    throw ApiError.unprocessable(`Invalid request.\n\nFor 'properties/conclusion', "${input.conclusion}" is not a member of ${JSON.stringify(CONCLUSIONS)}.`);
  }
  if (input.status === 'completed' && input.conclusion === undefined) throw ApiError.unprocessable('Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn\'t supplied.');
  for (const field of ['summary', 'text'] as const) {
    if ((input.output?.[field]?.length ?? 0) > MAX_OUTPUT) throw ApiError.unprocessable(`Invalid request.\n\nOnly ${MAX_OUTPUT} characters are allowed; ${input.output![field]!.length} were supplied.`);
  }
}

/** `POST /check-runs`; only GitHub Apps may call it. Passing `conclusion` completes the run. */
export async function createCheckRun(core: GitHubCore, repo: RepoRecord, app: AppRecord, sender: string, input: CheckRunInput, headBranch: string | null = null): Promise<CheckRunRecord> {
  if (!input.name) throw ApiError.unprocessable('Invalid request.\n\n"name" wasn\'t supplied.');
  if (!input.headSha) throw ApiError.unprocessable('Invalid request.\n\n"head_sha" wasn\'t supplied.');
  validate(input);
  if ((await repo.git.objectType(input.headSha)) !== 'commit') throw ApiError.unprocessable('No commit found for SHA: ' + input.headSha);
  const now = core.now();
  const completed = input.conclusion !== undefined;
  const run: CheckRunRecord = {
    id: core.id(),
    repo: repo.fullName,
    appId: app.id,
    checkSuiteId: suiteFor(core, repo, app, input.headSha, headBranch).id,
    headSha: input.headSha,
    name: input.name,
    status: completed ? 'completed' : ((input.status as CheckStatus | undefined) ?? 'queued'),
    conclusion: (input.conclusion as CheckConclusion | undefined) ?? null,
    externalId: input.externalId ?? null,
    detailsUrl: input.detailsUrl ?? null,
    startedAt: input.startedAt ? Date.parse(input.startedAt) : now,
    completedAt: completed ? (input.completedAt ? Date.parse(input.completedAt) : now) : null,
    output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
    annotations: parseAnnotations(input.output?.annotations),
  };
  core.checkRuns.set(run.id, run);
  raiseCheckRun(core, repo, run, 'created', sender);
  if (run.status === 'completed') raiseCheckRun(core, repo, run, 'completed', sender);
  return run;
}

/** `PATCH /check-runs/{id}`: annotations are appended, as on GitHub; only the creating app may update. */
export function updateCheckRun(core: GitHubCore, repo: RepoRecord, run: CheckRunRecord, app: AppRecord, sender: string, input: CheckRunInput): CheckRunRecord {
  if (run.appId !== app.id) throw new ApiError(403, 'Invalid app_id `' + app.id + '` - check run can only be modified by the GitHub App that created it.');
  validate(input);
  const wasCompleted = run.status === 'completed';
  if (input.name) run.name = input.name;
  if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
  if (input.externalId !== undefined) run.externalId = input.externalId;
  if (input.status) run.status = input.status as CheckStatus;
  if (input.conclusion) {
    run.conclusion = input.conclusion as CheckConclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && run.completedAt === null) run.completedAt = input.completedAt ? Date.parse(input.completedAt) : core.now();
  if (input.output) {
    if (input.output.title !== undefined) run.output.title = input.output.title;
    if (input.output.summary !== undefined) run.output.summary = input.output.summary;
    if (input.output.text !== undefined) run.output.text = input.output.text;
    run.annotations.push(...parseAnnotations(input.output.annotations));
  }
  if (!wasCompleted && run.status === 'completed') raiseCheckRun(core, repo, run, 'completed', sender);
  return run;
}

export function findCheckRun(core: GitHubCore, repo: RepoRecord, id: number): CheckRunRecord {
  const run = core.checkRuns.get(id);
  if (!run || run.repo !== repo.fullName) throw ApiError.notFound();
  return run;
}
