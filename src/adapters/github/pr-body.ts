import type { Risk } from '../../domain/action.js';
import { describeAction } from '../../domain/describe-action.js';
import type { Plan } from '../../domain/plan.js';
import type { ProposalLinks } from '../../pipeline/ports/forge.js';
import { code, codeBlock, inline, link } from './markdown.js';

/**
 * The fix PR's title and body. Built to be read in five seconds: the first
 * lines say what happened, what will run, the risk and where to talk about
 * it; evidence and details are collapsed below. Every piece of plan text is
 * untrusted and goes through `inline`/`codeBlock` (no mentions, links or HTML).
 */
export interface PrBodyInput {
  plan: Plan;
  planHash: string;
  planPath: string;
  /** The risk the gate will use (the plan's, raised by policy). */
  risk: Risk;
  incidentId?: string;
  links: ProposalLinks;
  /** From the repository config, when it is valid: who must approve and how many. */
  approval?: { required: number; approvers: string[] };
  /** Hidden marker that identifies the proposal. */
  marker: string;
}

const BODY_LIMIT = 60_000;
const RISK_BADGE: Record<Risk, string> = { low: '🟢 low', medium: '🟠 medium', high: '🔴 high' };

export function prTitle(plan: Plan): string {
  const summary = plan.summary.replace(/\s+/g, ' ').trim();
  const title = `pitcrew: ${summary}`;
  return title.length > 120 ? `${title.slice(0, 119)}…` : title;
}

export function renderPrBody(input: PrBodyInput): string {
  const { plan } = input;
  const head = [
    `### ${inline(plan.summary, 300)}`,
    '',
    [
      `**Risk: ${RISK_BADGE[input.risk]}**`,
      `confidence ${plan.confidence.level} (${plan.confidence.score.toFixed(2)})`,
      input.incidentId ? `incident ${code(input.incidentId)}` : undefined,
      input.links.slackThread ? link('Slack thread', input.links.slackThread) : undefined,
      ...(input.links.runbooks ?? []).map((runbook) => `runbook ${link(runbook.title, runbook.url)}`),
      !input.links.runbooks?.length && plan.runbook ? `runbook ${code(plan.runbook.path)}` : undefined,
    ].filter(Boolean).join(' · '),
    '',
    `**What happened:** ${whatHappened(plan, input.links.alert)}`,
    `**Probable cause:** ${plan.probableCause ? inline(plan.probableCause, 600) : '_unknown_'}`,
    '',
    '#### What runs when this PR is merged',
    ...(plan.actions.length > 0
      ? plan.actions.map((action, i) => `${i + 1}. ${inline(describeAction(action), 400)} (${code(action.kind)})`)
      : ['_Nothing: this plan holds no actions._']),
    '',
    '#### Rollback',
    ...(plan.rollback.length > 0 ? plan.rollback.map((step, i) => `${i + 1}. ${inline(step, 600)}`) : ['_No rollback steps given._']),
    '',
    `**Verify:** ${inline(plan.verification.condition, 300)} within ${Math.round(plan.verification.windowSeconds / 60)} min, or pitcrew proposes a revert.`,
  ];
  if (plan.notes.length > 0 || plan.planner.fallback) {
    head.push('', '> [!WARNING]', ...[...plan.notes, ...(plan.planner.fallback ? [plan.planner.fallback] : [])].map((note) => `> - ${inline(note, 600)}`));
  }
  const tail = [
    '',
    details('How this PR is approved', approvalText(input)),
    '',
    `<sub>plan ${code(plan.id)} · ${code(input.planHash)} · ${code(input.planPath)} · planner ${code(plan.planner.kind)}${plan.planner.model ? ` ${code(plan.planner.model)}` : ''}</sub>`,
    '',
    input.marker,
  ];
  const fixed = [...head, ...tail].join('\n').length;
  return [...head, '', evidence(plan, BODY_LIMIT - fixed), ...tail].join('\n');
}

function whatHappened(plan: Plan, alertUrl: string | undefined): string {
  const signal = plan.signal;
  const facts = [signal.alertname ? code(signal.alertname) : undefined, signal.service ? `on ${code(signal.service)}` : undefined, `${signal.severity}, ${signal.status}`].filter(Boolean).join(' ');
  return `${facts}${alertUrl ? ` (${link('alert', alertUrl)})` : ''}`;
}

function approvalText(input: PrBodyInput): string {
  const needs = input.approval
    ? `It needs ${input.approval.required} approval${input.approval.required === 1 ? '' : 's'} (${input.risk} risk) from ${input.approval.approvers.map((a) => code(a.startsWith('@') ? a : `@${a}`)).join(', ')}.`
    : 'The approvers and the number of approvals come from `.github/pitcrew.yml` on the default branch.';
  return [
    needs,
    'Only approvals on the current head commit count. Bots, the PR author, the proposer and anyone with a commit on this PR never count.',
    'Pushing a commit makes earlier approvals stale. Editing the plan file changes its hash, which the `pitcrew/gate` status pins.',
    'Merging runs the plan above, once; `paused: true` in `.github/pitcrew.yml` stops everything.',
  ].join('\n');
}

function evidence(plan: Plan, budget: number): string {
  if (plan.evidence.length === 0) return details('Evidence (none)', '_No evidence was retrieved._');
  const items: string[] = [];
  let used = 200;
  for (const item of plan.evidence) {
    const entry = [
      `**${inline(item.title, 200)}** ${code(item.kind)} ${code(item.source)}${item.score !== undefined ? ` score ${item.score.toFixed(2)}` : ''}${item.matchedBy ? ` (${inline(item.matchedBy, 50)})` : ''}`,
      '',
      codeBlock(item.excerpt),
    ].join('\n');
    if (used + entry.length > budget) {
      items.push(`_${plan.evidence.length - items.length} more item(s) left out to fit GitHub's size limit; see the plan file._`);
      break;
    }
    used += entry.length;
    items.push(entry);
  }
  return details(`Evidence (${plan.evidence.length})`, items.join('\n\n'));
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
