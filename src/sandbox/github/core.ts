import { systemClock, type Clock } from '../../domain/clock.js';
import { ApiError } from './errors.js';
import type {
  AppRecord,
  CheckRunRecord,
  CheckSuiteRecord,
  CommentRecord,
  DispatchRecord,
  InstallationRecord,
  IssueRecord,
  JobRecord,
  Permission,
  ReactionRecord,
  RepoRecord,
  ReviewRecord,
  StatusRecord,
  TeamRecord,
  TokenRecord,
  UserRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from './model.js';
import { PERMISSION_RANK } from './model.js';

/** An event the fake raises; the webhook sender turns it into deliveries for each subscribed app. */
export interface RaisedEvent {
  event: string;
  action?: string;
  repo: RepoRecord;
  /** Login of the user (or bot) who caused it. */
  sender: string;
  /** The payload as of the moment of the event, without `installation` (the sender adds it per app). */
  payload: Record<string, unknown>;
  /** Only deliver to this app (GitHub sends some check events to their creator only). */
  onlyAppId?: number;
}

/**
 * The GitHub fake's state: every record, id allocation, lookups that fail
 * the way GitHub does, and the hook that turns state changes into webhooks.
 */
export class GitHubCore {
  apiUrl = 'http://127.0.0.1';
  webUrl = 'http://127.0.0.1';

  readonly users = new Map<string, UserRecord>();
  readonly orgMembers = new Map<string, Map<string, 'admin' | 'member'>>();
  readonly teams = new Map<string, TeamRecord>();
  readonly apps = new Map<number, AppRecord>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly reviews = new Map<number, ReviewRecord>();
  readonly comments = new Map<number, CommentRecord>();
  readonly reactions = new Map<number, ReactionRecord>();
  readonly statuses: StatusRecord[] = [];
  readonly checkSuites = new Map<number, CheckSuiteRecord>();
  readonly checkRuns = new Map<number, CheckRunRecord>();
  readonly workflows = new Map<number, WorkflowRecord>();
  readonly runs = new Map<number, WorkflowRunRecord>();
  readonly jobs = new Map<number, JobRecord>();
  readonly dispatches: DispatchRecord[] = [];

  private nextId = 1000;
  private readonly listeners: Array<(event: RaisedEvent) => void> = [];

  /**
   * @param clock timestamps of records and payloads.
   * @param authClock token and JWT lifetimes: Octokit signs and caches with real time, so this stays the system clock.
   */
  constructor(
    readonly clock: Clock,
    readonly authClock: Clock = systemClock,
  ) {}

  id(): number {
    return this.nextId++;
  }

  now(): number {
    return this.clock.now();
  }

  onEvent(listener: (event: RaisedEvent) => void): void {
    this.listeners.push(listener);
  }

  raise(event: RaisedEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // ── lookups ──────────────────────────────────────────────────────────────

  user(login: string): UserRecord {
    const user = this.findUser(login);
    if (!user) throw ApiError.notFound();
    return user;
  }

  findUser(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  repo(owner: string, name: string): RepoRecord {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw ApiError.notFound();
    return repo;
  }

  issue(repo: RepoRecord, number: number): IssueRecord {
    const issue = repo.issues.get(number);
    if (!issue) throw ApiError.notFound();
    return issue;
  }

  pull(repo: RepoRecord, number: number): IssueRecord & { pull: NonNullable<IssueRecord['pull']> } {
    const issue = repo.issues.get(number);
    if (!issue?.pull) throw ApiError.notFound();
    return issue as IssueRecord & { pull: NonNullable<IssueRecord['pull']> };
  }

  team(org: string, slug: string): TeamRecord {
    const team = this.teams.get(`${org}/${slug}`.toLowerCase());
    if (!team) throw ApiError.notFound();
    return team;
  }

  reviewsOf(repo: RepoRecord, number: number): ReviewRecord[] {
    return [...this.reviews.values()].filter((review) => review.repo === repo.fullName && review.number === number).sort((a, b) => a.id - b.id);
  }

  installationFor(app: AppRecord, repo: RepoRecord): InstallationRecord | undefined {
    return [...this.installations.values()].find(
      (installation) =>
        installation.appId === app.id &&
        !installation.suspended &&
        installation.account.toLowerCase() === repo.owner.toLowerCase() &&
        (installation.selection === 'all' || installation.repos.has(repo.fullName.toLowerCase())),
    );
  }

  /** A user's effective permission on a repository: ownership, org admin, direct grant or team grant. */
  permissionOf(repo: RepoRecord, login: string): Permission | 'none' {
    const user = this.findUser(login);
    if (!user) return 'none';
    if (user.login.toLowerCase() === repo.owner.toLowerCase()) return 'admin';
    if (this.orgMembers.get(repo.owner.toLowerCase())?.get(user.login.toLowerCase()) === 'admin') return 'admin';
    let best: Permission | 'none' = repo.collaborators.get(user.login.toLowerCase()) ?? 'none';
    for (const team of this.teams.values()) {
      const granted = team.repos.get(repo.fullName.toLowerCase());
      if (granted && team.members.has(user.login.toLowerCase()) && PERMISSION_RANK[granted] > PERMISSION_RANK[best]) best = granted;
    }
    return best;
  }
}
