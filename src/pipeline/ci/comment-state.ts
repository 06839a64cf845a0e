import { z } from 'zod/v4';
import { FailureCategory } from '../../diagnosis/categories.js';

/**
 * What the PR comment remembers between runs, kept in the comment itself as
 * a hidden HTML comment: which workflows still fail on which commit, and per
 * failed job what was diagnosed (so `/pitcrew confirm` and a 👍 can store
 * exactly the lines that were shown). Keeping it in the comment means no
 * table to migrate and nothing to lose when the database is reset; the
 * comment is pitcrew's own (found by author and marker), and the state is
 * parsed with zod like any other untrusted input.
 */
const STATE_PREFIX = '<!-- pitcrew:ci-state ';
const STATE_SUFFIX = ' -->';

export const StateJob = z.object({
  /** The CI system's job id (Actions job id, or `check:<id>` for other CI). */
  id: z.string().max(100),
  name: z.string().max(300),
  category: FailureCategory,
  signature: z.string().max(200),
  /** The lines shown, as 1-based inclusive ranges. */
  spans: z.array(z.tuple([z.number().int().min(1), z.number().int().min(1)])).max(200),
  /** Fixes offered in the comment (`/pitcrew fix <word>`), with their command when there is one. */
  offers: z.array(z.object({ kind: z.enum(['rerun_failed_jobs', 'regenerate_lockfile', 'update_snapshots']), command: z.string().max(300).optional() })).max(5).default([]),
});
export type StateJob = z.infer<typeof StateJob>;

export const StateWorkflow = z.object({
  runId: z.string().max(100),
  runAttempt: z.number().int().min(1),
  url: z.string().max(500).optional(),
  jobs: z.array(StateJob).max(50),
});
export type StateWorkflow = z.infer<typeof StateWorkflow>;

export const CommentState = z.object({
  v: z.literal(1),
  /** The commit the failures were seen on. */
  sha: z.string().max(64),
  /** Workflow (or external CI app) → its failing run on `sha`. */
  failing: z.record(z.string().max(300), StateWorkflow),
  /** Signatures already confirmed from this comment (a 👍 is learned once). */
  confirmed: z.array(z.string().max(200)).max(200).default([]),
});
export type CommentState = z.infer<typeof CommentState>;

export function emptyState(sha: string): CommentState {
  return { v: 1, sha, failing: {}, confirmed: [] };
}

/** Appends the state to a rendered body. `--` cannot occur in JSON-escaped text, so the comment cannot be closed early. */
export function withState(body: string, state: CommentState): string {
  const json = JSON.stringify(state).replace(/--/g, '-\\u002d').replace(/>/g, '\\u003e');
  return `${body.replace(/\n*$/, '\n')}${STATE_PREFIX}${json}${STATE_SUFFIX}\n`;
}

/** The state kept in a comment body, or undefined when it is missing or malformed (the comment then starts over). */
export function readState(body: string): CommentState | undefined {
  const start = body.lastIndexOf(STATE_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(STATE_SUFFIX, start + STATE_PREFIX.length);
  if (end < 0) return undefined;
  try {
    const parsed = CommentState.safeParse(JSON.parse(body.slice(start + STATE_PREFIX.length, end)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Line numbers → inclusive ranges ([3,4,5,9] → [[3,5],[9,9]]). */
export function toRanges(lines: number[]): Array<[number, number]> {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const line of sorted) {
    const last = out.at(-1);
    if (last && line === last[1] + 1) last[1] = line;
    else out.push([line, line]);
  }
  return out;
}
