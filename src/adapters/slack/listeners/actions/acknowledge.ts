import { PLAN_ACTIONS } from '../../blocks/plan.js';
import type { ActionListener } from './press.js';
import { moveIncident } from './state-button.js';

export const acknowledgeListener: ActionListener = (app, ctx) => {
  app.action(PLAN_ACTIONS.acknowledge, (args) => moveIncident(ctx, args, 'acknowledged'));
};
