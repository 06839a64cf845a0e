import type { Logger } from '../../ops/logger.js';
import { shortTime } from '../../pipeline/handoff/format.js';
import type { Handoff } from '../../pipeline/handoff/model.js';
import type { HandoffPublisher } from '../../pipeline/handoff/publisher.js';
import { renderHandoffMarkdown } from '../../pipeline/handoff/render-markdown.js';
import type { GitHubForge } from './forge.js';
import { inline, link } from './markdown.js';

/**
 * The durable record: each scheduled handoff filed as an issue in one
 * configured repository (PITCREW_HANDOFF_ISSUE_REPO), labelled
 * `pitcrew-handoff`. Untrusted text is escaped so nothing in it mentions,
 * links or references anything. Filing the same shift twice (a restart at
 * the fire time, a retried run) finds the open issue of that title instead.
 * The app needs `issues: write` on that repository.
 */
export const HANDOFF_LABEL = 'pitcrew-handoff';
const MAX_BODY = 60_000;

export interface HandoffIssueDeps {
  forge: Pick<GitHubForge, 'client'>;
  repo: string;
  timeZone: string;
  dryRun: boolean;
  log: Logger;
}

export function handoffIssueTitle(handoff: Handoff, timeZone: string): string {
  return `On-call handoff ${shortTime(handoff.window.from, timeZone)} → ${shortTime(handoff.window.to, timeZone)}`;
}

export function githubIssuePublisher(deps: HandoffIssueDeps): HandoffPublisher {
  return {
    name: `github-issue:${deps.repo}`,
    async publish(handoff) {
      const title = handoffIssueTitle(handoff, deps.timeZone);
      let body = renderHandoffMarkdown(handoff, { timeZone: deps.timeZone, text: (value, max) => inline(value, max), link: (text, url) => link(text, url) });
      if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY)}\n\n…cut at ${MAX_BODY} characters.\n`;
      if (deps.dryRun) {
        deps.log.info({ repo: deps.repo, title }, `[dry-run] would file the handoff as an issue in ${deps.repo}`);
        return { ref: null };
      }
      const client = await deps.forge.client(deps.repo);
      const params = { owner: client.owner, repo: client.name };
      const { data: recent } = await client.octokit.rest.issues.listForRepo({ ...params, labels: HANDOFF_LABEL, state: 'all', per_page: 30 });
      const existing = recent.find((issue) => issue.title === title);
      if (existing) {
        deps.log.info({ repo: deps.repo, issue: existing.number }, 'handoff issue for this shift exists; not filing again');
        return { ref: existing.html_url };
      }
      const { data } = await client.octokit.rest.issues.create({ ...params, title, body, labels: [HANDOFF_LABEL] });
      deps.log.info({ repo: deps.repo, issue: data.number }, 'handoff filed as an issue');
      return { ref: data.html_url };
    },
  };
}
