import { PLAN_ACTIONS } from '../../blocks/plan.js';
import type { ActionListener } from './press.js';
import { moveIncident } from './state-button.js';

export const resolveListener: ActionListener = (app, ctx) => {
  app.action(PLAN_ACTIONS.resolve, (args) => moveIncident(ctx, args, 'resolved'));
};
