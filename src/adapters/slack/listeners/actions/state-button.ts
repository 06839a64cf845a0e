import { isPitcrewError } from '../../../../domain/errors.js';
import { CHANGES_QUEUE } from '../../../../pipeline/intake.js';
import { transitionIncident } from '../../../../pipeline/intake/transition.js';
import type { SlackContext } from '../../context.js';
import { acceptPress, type PressArgs } from './press.js';

/** Acknowledge / Resolve: move the incident forward, recorded on its timeline with who pressed; the root updates from the change. */
export async function moveIncident(ctx: SlackContext, args: PressArgs, to: 'acknowledged' | 'resolved'): Promise<void> {
  const press = await acceptPress(ctx, args, to === 'acknowledged' ? 'acknowledge' : 'resolve');
  if (!press) return;
  try {
    await ctx.store.writeTransaction((trx) =>
      transitionIncident(trx, press.incident.id, to, press.actor, { clock: ctx.clock, jobs: ctx.jobs, detail: { slackUser: press.userId, via: 'slack' } }));
    ctx.jobs.wake(CHANGES_QUEUE);
    ctx.log.info({ incidentId: press.incident.id, to, actor: press.actor }, 'incident moved from slack');
  } catch (error) {
    if (!isPitcrewError(error)) throw error;
    await press.tell(`ℹ️ ${error.message}`);
  }
}
