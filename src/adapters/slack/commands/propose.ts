import type { Incident } from '../../../domain/incident.js';
import { CHANGES_QUEUE } from '../../../pipeline/intake.js';
import { recordIncidentEvent } from '../../../pipeline/intake/record-event.js';
import type { SlackContext } from '../context.js';

/**
 * Asks the responder for the incident's fix PR, recording who asked on the
 * timeline first. Returns what to tell the person when the PR reply in the
 * thread does not say it (nothing proposed, and why).
 */
export async function proposeFor(ctx: SlackContext, incident: Incident, by: { userId: string; actor: string }): Promise<string | undefined> {
  await ctx.store.writeTransaction((trx) => recordIncidentEvent(trx, incident.id, 'fix_requested', by.actor, { slackUser: by.userId, via: 'slack' }, { clock: ctx.clock, jobs: ctx.jobs }));
  ctx.jobs.wake(CHANGES_QUEUE);
  const outcome = await ctx.responder.proposeLatest(incident, by.actor);
  if (outcome.status === 'not_proposed') return `ℹ️ No fix PR for #${incident.number}: ${outcome.reason}.`;
  if (outcome.status === 'blocked') return `✋ The fix PR was not updated: ${outcome.reason}`;
  if (outcome.status === 'dry_run') return `🧪 [dry-run] pitcrew would open the fix PR on \`${outcome.branch}\`.`;
  return `🔧 Fix PR #${outcome.number} ${outcome.status === 'opened' ? 'opened' : outcome.status === 'updated' ? 'updated' : 'is up to date'}: ${outcome.url}. Approve it on GitHub; Slack cannot.`;
}
