import type { Probot } from 'probot';
import { z } from 'zod/v4';
import type { Logger } from '../../ops/logger.js';
import type { MergedPull } from '../../pipeline/execute/ports.js';

/**
 * `pull_request.closed` with `merged: true`: hands the merged PR to the
 * executor, which reads the plan from the merge commit and claims the
 * execution before the webhook is acknowledged. Nothing else starts
 * execution. Probot has already verified the signature (a forged delivery
 * never reaches here).
 */
export type MergedHandler = (pull: MergedPull) => Promise<unknown>;

const MergedPayload = z.object({
  repository: z.object({ full_name: z.string() }),
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.literal(true),
    merge_commit_sha: z.string().regex(/^[0-9a-f]{40}$/),
    html_url: z.string(),
    head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/) }),
    merged_by: z.object({ login: z.string() }).nullish(),
  }),
});

export function registerOnMerged(app: Probot, handler: () => MergedHandler | null, log: Logger): void {
  app.on('pull_request.closed', async (context) => {
    if (!context.payload.pull_request.merged) return;
    const parsed = MergedPayload.safeParse(context.payload);
    if (!parsed.success) {
      log.warn({ repo: context.payload.repository.full_name, pull: context.payload.pull_request.number, problem: parsed.error.issues[0]?.message }, 'merged pull_request payload is malformed; ignored');
      return;
    }
    const { repository, pull_request: pull } = parsed.data;
    const execute = handler();
    if (!execute) {
      log.info({ repo: repository.full_name, pull: pull.number }, 'PR merged, but execution is not enabled in this process');
      return;
    }
    await execute({ repo: repository.full_name, number: pull.number, mergeSha: pull.merge_commit_sha, headSha: pull.head.sha, mergedBy: pull.merged_by?.login ?? null, url: pull.html_url });
  });
}
