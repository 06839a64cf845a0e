import { describeProblem } from '../../config/repo-config/parse.js';
import type { RepoConfigRead } from '../../pipeline/gate/facts.js';
import type { RepoClient } from './repo-client.js';

/**
 * The `pitcrew/config` check run on the default branch's head: failure with
 * one annotation per problem (the line, what is wrong, the fix) while
 * `.github/pitcrew.yml` is broken; success once it is valid again. One run
 * per SHA and outcome (re-reporting the same thing posts nothing).
 */
export const CONFIG_CHECK = 'pitcrew/config';
const ANNOTATION_LIMIT = 50;

export type ConfigCheckOutcome = 'failure' | 'success' | 'skipped';

export function configCheckBody(read: RepoConfigRead): { conclusion: 'failure' | 'success'; title: string; summary: string; annotations: Array<Record<string, unknown>> } | null {
  if (read.status === 'missing') return null;
  if (read.status === 'ok') {
    return { conclusion: 'success', title: `${read.path} is valid`, summary: `pitcrew read ${read.path} at ${read.ref.slice(0, 7)}: approvers and rules are in force.`, annotations: [] };
  }
  const count = read.problems.length;
  return {
    conclusion: 'failure',
    title: `${read.path} is invalid (${count} problem${count === 1 ? '' : 's'})`,
    summary: [
      `**Nothing runs while this file is broken**: every pitcrew plan PR fails its \`pitcrew/gate\` status, and merged plans are not executed.`,
      '',
      ...read.problems.map((problem) => `- ${describeProblem(problem, read.path).replace(/\n/g, ' ')}`),
      '',
      'The JSON Schema in `docs/pitcrew.schema.json` lets your editor check the file as you type; `pitcrew repo-config check .github/pitcrew.yml` checks it locally.',
    ].join('\n'),
    annotations: read.problems.slice(0, ANNOTATION_LIMIT).map((problem) => ({
      path: read.path,
      start_line: problem.line,
      end_line: Math.max(problem.line, problem.endLine),
      annotation_level: 'failure',
      title: problem.key ? `${problem.key} ${problem.message}` : problem.message,
      message: `Fix: ${problem.fix}`,
    })),
  };
}

export async function reportConfig(client: RepoClient, read: RepoConfigRead, options: { onlyFailures?: boolean; force?: boolean } = {}): Promise<ConfigCheckOutcome> {
  const body = configCheckBody(read);
  if (!body || (options.onlyFailures && body.conclusion === 'success')) return 'skipped';
  if (!options.force) {
    const existing = await client.checkRuns(read.ref, CONFIG_CHECK);
    if (existing.some((run) => run.conclusion === body.conclusion && run.output?.title === body.title)) return 'skipped';
  }
  await client.createCheckRun({
    name: CONFIG_CHECK,
    head_sha: read.ref,
    status: 'completed',
    conclusion: body.conclusion,
    output: { title: body.title, summary: body.summary, annotations: body.annotations as never },
  });
  return body.conclusion;
}
