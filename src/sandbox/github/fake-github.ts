import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../domain/clock.js';
import { FakeHttpServer, type RequestRecord } from '../http/fake-server.js';
import { GitHubCore } from './core.js';
import { createDispatcher } from './dispatch.js';
import { ZERO_SHA, type GitCommit } from './git/git-repo.js';
import type { AppRecord, CheckRunRecord, CommentRecord, DispatchRecord, InstallationRecord, Permission, ProtectionRecord, RepoRecord, ReviewRecord, StatusRecord, WorkflowRunRecord } from './model.js';
import { createApp, createOrg, createTeam, createUser, installApp, issueUserToken, type NewApp } from './ops/accounts.js';
import { ActionsRunner, type WorkflowScript } from './ops/actions.js';
import { createCheckRun, type CheckRunInput } from './ops/checks.js';
import { LogLinks } from './ops/log-links.js';
import { pullFacts } from './ops/pulls.js';
import { commitFiles, createRepo, protectBranch, type FileChanges } from './ops/repos.js';
import { findWorkflow } from './ops/workflows.js';
import { renderPull } from './render/pulls.js';
import { allRoutes } from './routes/index.js';
import { split, UserSession } from './session.js';
import { WebhookSender } from './webhooks/sender.js';
import { WriteLog, type SecondaryLimits } from './write-log.js';

export interface FakeGitHubOptions {
  /** Where the bare repositories live; a temp dir (removed on stop) by default. */
  dir?: string;
  /** Clock for timestamps in records and payloads. Tokens and JWTs always use real time, as Octokit does. */
  clock?: Clock;
  /** Port on 127.0.0.1 (0: any free port). */
  port?: number;
  /** How long a webhook receiver may take before the delivery counts as timed out (GitHub: 10 s). */
  webhookTimeoutMs?: number;
  /** Enforce GitHub's secondary rate limits with 403 + Retry-After (off by default; writes are always logged). */
  secondaryLimits?: SecondaryLimits;
  /** Lifetime of job-log download links (GitHub: one minute). */
  logLinkTtlMs?: number;
  /**
   * How long each content-creating request takes (default 20 ms). GitHub's writes
   * take time; without it, writes a client sends at once would never overlap here
   * and the write log could not show concurrency.
   */
  writeLatencyMs?: number;
}

/** A GitHub App registered in the fake, with what Probot needs to authenticate as it. */
export interface FakeApp {
  id: number;
  slug: string;
  botLogin: string;
  /** PKCS#8 PEM of the generated key (null when a public key was supplied). */
  privateKey: string | null;
  record: AppRecord;
}

/**
 * A stateful fake of the GitHub REST API on 127.0.0.1, backed by real git
 * repositories. Drive it with Octokit or Probot at `url`; set it up and
 * inspect it with the methods below. See src/sandbox/README.md.
 */
export class FakeGitHub {
  readonly core: GitHubCore;
  readonly webhooks: WebhookSender;
  readonly actions: ActionsRunner;
  readonly writes: WriteLog;
  private readonly server: FakeHttpServer;
  private readonly ownsDir: boolean;
  private readonly dir: string;

  private constructor(options: FakeGitHubOptions) {
    const clock = options.clock ?? systemClock;
    this.core = new GitHubCore(clock);
    this.ownsDir = options.dir === undefined;
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pitcrew-fake-github-'));
    this.webhooks = new WebhookSender(this.core, { timeoutMs: options.webhookTimeoutMs ?? 10_000 });
    this.actions = new ActionsRunner(this.core, () => this.actionsApp());
    this.writes = new WriteLog(clock, options.secondaryLimits ?? {});
    const logLinks = new LogLinks(this.core, options.logLinkTtlMs);
    this.server = new FakeHttpServer(createDispatcher(allRoutes, { core: this.core, webhooks: this.webhooks, actions: this.actions, logLinks, writes: this.writes, writeLatencyMs: options.writeLatencyMs ?? 20 }), clock);
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    const url = await fake.server.listen(options.port ?? 0);
    fake.core.apiUrl = url;
    fake.core.webUrl = url;
    return fake;
  }

  /** The API base URL: Octokit's `baseUrl`, Probot's `baseUrl`, pitcrew's `GITHUB_API_URL`. */
  get url(): string {
    return this.server.url;
  }

  /** Every request the fake answered, in order. */
  get requests(): RequestRecord[] {
    return this.server.requests;
  }

  async stop(): Promise<void> {
    this.actions.close();
    await this.server.close();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Resolves when no webhook is waiting to be delivered and no Actions run is playing. */
  async settled(): Promise<void> {
    do {
      await this.actions.settled();
      await this.webhooks.settled();
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.pendingWork());
  }

  private pendingWork(): boolean {
    return this.webhooks.busy || this.actions.busy;
  }

  // ── accounts ─────────────────────────────────────────────────────────────

  addUser(login: string, profile: { name?: string; email?: string; siteAdmin?: boolean } = {}) {
    return createUser(this.core, { login, ...profile });
  }

  /** An organization with members (`admin` members administer every repository in it). */
  addOrg(login: string, members: Record<string, 'admin' | 'member'> = {}) {
    return createOrg(this.core, login, members);
  }

  /** A team in an org; `repos` grants it a permission on repositories (`owner/name`). */
  addTeam(input: { org: string; slug: string; name?: string; members?: string[]; maintainers?: string[]; repos?: Record<string, Permission> }) {
    return createTeam(this.core, input);
  }

  addCollaborator(repo: string, login: string, permission: Permission = 'write'): void {
    const user = this.core.findUser(login) ?? createUser(this.core, { login });
    this.repo(repo).collaborators.set(user.login.toLowerCase(), permission);
  }

  /** A personal access token for `login`, for Octokit clients acting as that user. */
  tokenFor(login: string): string {
    return issueUserToken(this.core, login);
  }

  /** Acts as `login` (created if unknown): reviews, merges, comments, pushes. */
  as(login: string): UserSession {
    if (!this.core.findUser(login)) createUser(this.core, { login });
    return new UserSession(this.core, this.core.user(login).login, this.tokenFor(login), () => this.url);
  }

  // ── apps ─────────────────────────────────────────────────────────────────

  /** Registers a GitHub App. Without `publicKey`, a key pair is generated and `privateKey` returned. */
  createApp(input: NewApp): FakeApp {
    const record = createApp(this.core, input);
    return { id: record.id, slug: record.slug, botLogin: record.botLogin, privateKey: record.privateKeyPem, record };
  }

  /** Points an app's webhook somewhere else (e.g. once the receiving server knows its port); null turns delivery off. */
  setWebhook(app: FakeApp | AppRecord, webhook: { url: string; secret: string } | null): void {
    ('record' in app ? app.record : app).webhook = webhook;
  }

  /** Installs an app on a user or org, for all its repositories or the listed ones. */
  installApp(app: FakeApp | AppRecord, account: string, repos?: string[]): InstallationRecord {
    return installApp(this.core, 'record' in app ? app.record : app, account, repos);
  }

  private actionsApp(): AppRecord {
    const existing = [...this.core.apps.values()].find((app) => app.slug === 'github-actions');
    return existing ?? createApp(this.core, { slug: 'github-actions', name: 'GitHub Actions', owner: 'github', publicKey: null });
  }

  // ── repositories ─────────────────────────────────────────────────────────

  /**
   * Creates a repository (the owner is created as a user if unknown) and,
   * with `files`, its first commit on the default branch. `installations`
   * lists apps to install on the owner for this repository.
   */
  async createRepo(input: { owner: string; name: string; files?: FileChanges; defaultBranch?: string; private?: boolean; description?: string; message?: string; installations?: Array<FakeApp | AppRecord> }): Promise<RepoRecord> {
    if (!this.core.findUser(input.owner)) createUser(this.core, { login: input.owner });
    const repo = await createRepo(this.core, this.dir, input);
    for (const app of input.installations ?? []) this.installApp(app, repo.owner, [repo.name]);
    if (input.files) await commitFiles(this.core, repo, { branch: repo.defaultBranch, files: input.files, message: input.message ?? 'Initial commit', login: repo.owner });
    return repo;
  }

  repo(fullName: string): RepoRecord {
    return this.core.repo(...split(fullName));
  }

  /** Classic branch protection: required approvals and checks, stale-review dismissal, admin bypass. */
  protectBranch(repo: string, branch: string, rules: Partial<ProtectionRecord>): ProtectionRecord {
    return protectBranch(this.repo(repo), branch, rules);
  }

  /** Allows only these merge methods (GitHub's repository settings). */
  setMergeMethods(repo: string, methods: Array<'merge' | 'squash' | 'rebase'>): void {
    this.repo(repo).allowedMergeMethods = new Set(methods);
  }

  /** The bare repository directory: `git --git-dir <this> log pitcrew-audit`. */
  gitDir(repo: string): string {
    return this.repo(repo).git.dir;
  }

  async branchSha(repo: string, branch: string): Promise<string | null> {
    return this.repo(repo).git.readRef(`refs/heads/${branch}`);
  }

  /** A file's text at `ref` (branch, tag or SHA; default branch by default), or null. */
  async readFile(repo: string, path: string, ref?: string): Promise<string | null> {
    const record = this.repo(repo);
    const sha = (await record.git.readRef(`refs/heads/${ref ?? record.defaultBranch}`)) ?? (ref ? await record.git.resolveCommit(ref) : null);
    if (!sha) return null;
    const entry = await record.git.entryAt(sha, path);
    return entry?.type === 'blob' ? (await record.git.readBlob(entry.sha)).toString('utf8') : null;
  }

  /** Commits on `ref` (newest first), parsed, with full messages (trailers included). */
  async log(repo: string, ref: string, max = 100): Promise<GitCommit[]> {
    const record = this.repo(repo);
    const sha = (await record.git.readRef(`refs/heads/${ref}`)) ?? (await record.git.resolveCommit(ref));
    return sha ? record.git.log([sha, `--max-count=${max}`]) : [];
  }

  // ── inspection ───────────────────────────────────────────────────────────

  /** A PR as `GET /pulls/{n}` returns it. */
  async pull(repo: string, number: number) {
    const record = this.repo(repo);
    const issue = this.core.pull(record, number);
    return renderPull(this.core, record, issue, await pullFacts(this.core, record, issue, { mergeable: true }));
  }

  /** PR numbers with their head branch and state, oldest first. */
  pulls(repo: string): Array<{ number: number; title: string; head: string; base: string; state: 'open' | 'closed'; merged: boolean; headSha: string; user: string; labels: string[] }> {
    return [...this.repo(repo).issues.values()]
      .filter((issue) => issue.pull)
      .map((issue) => ({ number: issue.number, title: issue.title, head: issue.pull!.headRef, base: issue.pull!.baseRef, state: issue.state, merged: issue.pull!.merged, headSha: issue.pull!.headSha, user: issue.user, labels: [...issue.labels] }));
  }

  reviews(repo: string, number: number): ReviewRecord[] {
    return this.core.reviewsOf(this.repo(repo), number);
  }

  comments(repo: string, number: number): CommentRecord[] {
    const record = this.repo(repo);
    return [...this.core.comments.values()].filter((comment) => comment.repo === record.fullName && comment.issueNumber === number).sort((a, b) => a.id - b.id);
  }

  reactions(commentId: number) {
    return [...this.core.reactions.values()].filter((reaction) => reaction.commentId === commentId);
  }

  /** Commit statuses on `sha`, oldest first. */
  statuses(repo: string, sha: string): StatusRecord[] {
    const record = this.repo(repo);
    return this.core.statuses.filter((status) => status.repo === record.fullName && status.sha === sha);
  }

  checkRuns(repo: string, sha?: string): CheckRunRecord[] {
    const record = this.repo(repo);
    return [...this.core.checkRuns.values()].filter((run) => run.repo === record.fullName && (!sha || run.headSha === sha));
  }

  dispatches(repo?: string): DispatchRecord[] {
    return this.core.dispatches.filter((dispatch) => !repo || dispatch.repo.toLowerCase() === repo.toLowerCase());
  }

  runs(repo: string): WorkflowRunRecord[] {
    const record = this.repo(repo);
    return [...this.core.runs.values()].filter((run) => run.repo === record.fullName);
  }

  // ── Actions and other CI ─────────────────────────────────────────────────

  /** Sets how runs of a workflow play out: job conclusions, logs, duration, manual completion. */
  scriptWorkflow(repo: string, workflowPath: string, script: WorkflowScript): void {
    this.actions.script(this.repo(repo), workflowPath, script);
  }

  /**
   * Starts a CI run as GitHub would on a push or pull_request (the workflow
   * file must exist on the default branch). The head defaults to the branch tip.
   */
  async simulateRun(repo: string, input: { workflow: string; branch: string; event?: 'push' | 'pull_request'; sha?: string; actor?: string; script?: WorkflowScript }): Promise<WorkflowRunRecord> {
    const record = this.repo(repo);
    const workflow = await findWorkflow(this.core, record, input.workflow);
    const sha = input.sha ?? (await record.git.readRef(`refs/heads/${input.branch}`));
    if (!sha || sha === ZERO_SHA) throw new Error(`simulateRun: branch ${input.branch} does not exist in ${repo}`);
    const head = await record.git.readCommit(sha);
    const actor = input.actor ?? record.owner;
    return this.actions.startRun(record, { workflow, event: input.event ?? 'pull_request', headBranch: input.branch, headSha: sha, actor, displayTitle: head?.message.split('\n')[0] ?? workflow.name, ...(input.script ? { script: input.script } : {}) });
  }

  /** Completes a run whose script is `manual`, optionally overriding job conclusions by name. */
  completeRun(repo: string, runId: number, conclusions: Record<string, 'success' | 'failure' | 'cancelled' | 'timed_out'> = {}): Promise<WorkflowRunRecord> {
    return this.actions.completeRun(this.repo(repo), runId, conclusions);
  }

  /** A check run created by another CI app (CircleCI, Buildkite…), registered on first use. */
  async externalCheckRun(repo: string, appSlug: string, input: CheckRunInput & { name: string; headSha: string }): Promise<CheckRunRecord> {
    const record = this.repo(repo);
    const app = [...this.core.apps.values()].find((candidate) => candidate.slug === appSlug) ?? createApp(this.core, { slug: appSlug, publicKey: null });
    return createCheckRun(this.core, record, app, app.botLogin, input);
  }
}
