import { PLAN_ACTIONS } from '../../blocks/plan.js';
import { proposeFor } from '../../commands/propose.js';
import { acceptPress, type ActionListener } from './press.js';

/** Propose fix PR: opens (or updates) the PR; approving it stays a GitHub review. */
export const proposeFixListener: ActionListener = (app, ctx) => {
  app.action(PLAN_ACTIONS.propose, async (args) => {
    const press = await acceptPress(ctx, args, 'propose a fix');
    if (!press) return;
    const answer = await proposeFor(ctx, press.incident, { userId: press.userId, actor: press.actor });
    if (answer) await press.tell(answer);
  });
};
