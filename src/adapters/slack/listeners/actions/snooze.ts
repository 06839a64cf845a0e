import { CHANGES_QUEUE } from '../../../../pipeline/intake.js';
import { recordIncidentEvent } from '../../../../pipeline/intake/record-event.js';
import { PLAN_ACTIONS } from '../../blocks/plan.js';
import { acceptPress, type ActionListener } from './press.js';

const SNOOZE_MS = 3_600_000;

/** Snooze 1h: recorded on the timeline with who and until when; the root shows it until it runs out. */
export const snoozeListener: ActionListener = (app, ctx) => {
  app.action(PLAN_ACTIONS.snooze, async (args) => {
    const press = await acceptPress(ctx, args, 'snooze');
    if (!press) return;
    if (press.incident.state === 'resolved') {
      await press.tell(`ℹ️ Incident #${press.incident.number} is already resolved.`);
      return;
    }
    const until = ctx.clock.now() + SNOOZE_MS;
    await ctx.store.writeTransaction((trx) => recordIncidentEvent(trx, press.incident.id, 'snoozed', press.actor, { until, slackUser: press.userId, via: 'slack' }, { clock: ctx.clock, jobs: ctx.jobs }));
    ctx.jobs.wake(CHANGES_QUEUE);
  });
};
