import { z } from 'zod/v4';
import { Risk } from '../../domain/action.js';
import { Policy } from '../../domain/policy.js';

/**
 * `.github/pitcrew.yml`: what a repository allows pitcrew to do and who must
 * approve it. Read from the default branch only (a PR never configures its
 * own gate). `docs/pitcrew.schema.json` is generated from this schema for
 * editors; `test/unit/config/repo-config-schema.test.ts` keeps it in sync.
 */
export const REPO_CONFIG_PATH = '.github/pitcrew.yml';
export const RISKS = ['low', 'medium', 'high'] as const;

/** `alice`, `@alice` (a user) or `@acme/sre` (a team in the org acme), as in CODEOWNERS. */
export const ApproverRef = z
  .string()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9_.-]{1,100})?$/, {
    error: 'must be a GitHub login (alice or @alice) or a team (@org/team-slug)',
  })
  .describe('A GitHub user (alice or @alice) or team (@org/team-slug).');

const ApproverList = z.array(ApproverRef).min(1, { error: 'needs at least one user or team' }).max(100);

export const Approvers = z
  .strictObject({
    low: ApproverList.optional().describe('Who may approve low-risk plans.'),
    medium: ApproverList.optional().describe('Who may approve medium-risk plans. Unset: the low list.'),
    high: ApproverList.optional().describe('Who may approve high-risk plans. Unset: the medium list (or the low list).'),
  })
  .refine((a) => a.low !== undefined || a.medium !== undefined || a.high !== undefined, {
    error: 'must name approvers for at least one risk (low, medium or high)',
    when: (payload) => payload.issues.length === 0,
  })
  .describe('Who may approve, per risk. A risk without a list uses the list of the nearest lower risk; a risk with no list at or below it cannot be approved.');
export type Approvers = z.infer<typeof Approvers>;

const Count = z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1 (nothing runs without an approval)' }).max(10, { error: 'must be at most 10' });

export const RequiredApprovals = z
  .strictObject({
    low: Count.default(1),
    medium: Count.default(1),
    high: Count.default(2),
  })
  .describe('How many approvals from allowed approvers each risk needs, on the PR\'s current head commit.');
export type RequiredApprovals = z.infer<typeof RequiredApprovals>;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a 24-hour time HH:MM, e.g. "09:00"' });

const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, { error: 'must be an IANA time zone such as UTC or Europe/Berlin' });

export const ExecutionWindow = z
  .strictObject({
    days: z.array(Weekday).min(1).default([...WEEKDAYS]).describe('Days the window opens (in its time zone); default every day.'),
    start: ClockTime.describe('Opening time, HH:MM.'),
    end: ClockTime.describe('Closing time, HH:MM. Earlier than start means the window runs past midnight.'),
    timezone: TimeZone.default('UTC').describe('IANA time zone, e.g. Europe/Berlin.'),
    risks: z.array(Risk).min(1).optional().describe('Risks the window applies to; default all.'),
  })
  .refine((w) => w.start !== w.end, { error: 'start and end must differ', when: (payload) => payload.issues.length === 0 })
  .describe('A weekly window in which merged plans may run.');
export type ExecutionWindow = z.infer<typeof ExecutionWindow>;

export const Breaker = z
  .strictObject({
    failures: z.int({ error: 'must be a whole number' }).min(1).max(100).default(3).describe('Failed executions that open the breaker.'),
    windowMinutes: z.int({ error: 'must be a whole number' }).min(1).max(10_080).default(60).describe('Within this many minutes.'),
  })
  .describe('The circuit breaker: after this many failed executions within the window, execution pauses until a human resumes it.');
export type Breaker = z.infer<typeof Breaker>;

/** A branch name: the audit trail is written there through the git data API. */
const BranchName = z.string().min(1).max(200).regex(/^[A-Za-z0-9._/-]+$/, { error: 'must be a branch name (letters, digits, . _ / -)' })
  .refine((ref) => !ref.startsWith('-') && !ref.startsWith('/') && !ref.endsWith('/') && !ref.includes('..') && !ref.includes('//') && !ref.endsWith('.lock'), { error: 'must be a valid branch name' });

export const RepoConfig = z
  .strictObject({
    approvers: Approvers,
    requiredApprovals: RequiredApprovals.default({ low: 1, medium: 1, high: 2 }),
    codeowners: z.boolean().default(true).describe('Also require an approval from a code owner (CODEOWNERS on the default branch) of every changed file that has owners.'),
    policy: Policy.optional().describe('Narrows the operator\'s policy for this repository (same keys as PITCREW_POLICY_FILE): a plan must pass both.'),
    paused: z.boolean().default(false).describe('Kill switch: when true, nothing runs, whatever is approved and merged.'),
    executionWindows: z.array(ExecutionWindow).max(20).default([]).describe('When merged plans may run. Empty: any time.'),
    breaker: Breaker.default({ failures: 3, windowMinutes: 60 }),
    auditBranch: BranchName.default('pitcrew-audit').describe('Branch the audit trail is committed to.'),
  })
  .describe('pitcrew configuration for this repository (.github/pitcrew.yml on the default branch).');
export type RepoConfig = z.infer<typeof RepoConfig>;
export type RepoConfigInput = z.input<typeof RepoConfig>;

/** The approvers for a risk: its own list, else the nearest lower risk's, else none. */
export function approversFor(config: Pick<RepoConfig, 'approvers'>, risk: Risk): string[] {
  const order = RISKS.slice(0, RISKS.indexOf(risk) + 1).reverse();
  for (const level of order) {
    const list = config.approvers[level];
    if (list) return list;
  }
  return [];
}

export interface ApproverSet {
  /** Logins, lower case. */
  users: Set<string>;
  /** `org/slug`, lower case. */
  teams: Set<string>;
}

/** Splits `alice`, `@alice` and `@org/team` into users and teams. */
export function splitApprovers(refs: string[]): ApproverSet {
  const users = new Set<string>();
  const teams = new Set<string>();
  for (const ref of refs) {
    const bare = ref.replace(/^@/, '').toLowerCase();
    if (bare.includes('/')) teams.add(bare);
    else users.add(bare);
  }
  return { users, teams };
}
