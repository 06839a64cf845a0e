import type { KnownBlock } from '@slack/types';
import { describeAction } from '../../../domain/describe-action.js';
import type { Plan } from '../../../domain/plan.js';
import { score } from './format.js';
import { LIMITS, context, escapeMrkdwn, fields, message, section, truncate, type SlackMessage } from './limits.js';

/** The buttons under a plan; their action ids are what the action listeners match. */
export const PLAN_ACTIONS = {
  propose: 'propose_fix',
  acknowledge: 'acknowledge',
  resolve: 'resolve',
  snooze: 'snooze_1h',
} as const;
export type PlanAction = keyof typeof PLAN_ACTIONS;

/** The plan reply: summary, cause, risk, the actions in order, rollback, and the buttons. */
export function planReply(plan: Plan, incidentId: string, options: { canPropose: boolean }): SlackMessage {
  const blocks: KnownBlock[] = [section(`🛠️ *Plan*: ${escapeMrkdwn(plan.summary)}`)];
  blocks.push(fields([
    ['Confidence', `${plan.confidence.level} (${score(plan.confidence.score)})`],
    ['Risk', plan.risk],
    ['Runbook', plan.runbook ? `\`${escapeMrkdwn(plan.runbook.path)}\`` : '—'],
    ['Planner', plan.planner.kind === 'llm' ? `LLM ${escapeMrkdwn(plan.planner.model ?? '')}` : 'deterministic'],
  ]));
  if (plan.probableCause) blocks.push(section(`*Probable cause*\n${escapeMrkdwn(plan.probableCause)}`));
  if (plan.actions.length > 0) {
    blocks.push(section(`*Actions* (nothing runs until a reviewer approves the fix PR on GitHub and it is merged)\n${plan.actions.map((action, i) => `${i + 1}. ${escapeMrkdwn(describeAction(action))}`).join('\n')}`));
  }
  if (plan.rollback.length > 0) blocks.push(section(`*Rollback*\n${plan.rollback.map((step) => `• ${escapeMrkdwn(step)}`).join('\n')}`));
  if (plan.notes.length > 0) blocks.push(context(...plan.notes.map((note) => `📝 ${escapeMrkdwn(note)}`)));
  blocks.push(planButtons(incidentId, options.canPropose));
  blocks.push(context(`plan \`${plan.id}\`  ·  verify within ${Math.round(plan.verification.windowSeconds / 60)} min`));
  return message(`Plan: ${plan.summary}`, blocks);
}

function button(action: PlanAction, text: string, incidentId: string, style?: 'primary' | 'danger'): NonNullable<Extract<KnownBlock, { type: 'actions' }>['elements'][number]> {
  return {
    type: 'button',
    action_id: PLAN_ACTIONS[action],
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    value: truncate(incidentId, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function planButtons(incidentId: string, canPropose: boolean): KnownBlock {
  const elements = [
    ...(canPropose ? [button('propose', '🔧 Propose fix PR', incidentId, 'primary')] : []),
    button('acknowledge', '👀 Acknowledge', incidentId),
    button('resolve', '✅ Resolve', incidentId),
    button('snooze', '💤 Snooze 1h', incidentId),
  ];
  return { type: 'actions', block_id: `incident:${incidentId}`.slice(0, 255), elements };
}
