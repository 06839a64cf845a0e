import type { App, RespondFn } from '@slack/bolt';
import type { Incident } from '../../../../domain/incident.js';
import { IncidentRepo, toIncident } from '../../../../store/incident-repo.js';
import { actorFor, type SlackContext } from '../../context.js';
import { ButtonPress } from '../../payloads.js';

/** The parts of Bolt's action arguments a press uses. */
export interface PressArgs {
  ack: () => Promise<void>;
  respond: RespondFn;
  body: unknown;
}

export interface Press {
  userId: string;
  /** Who it is recorded as on the timeline (GitHub login when mapped). */
  actor: string;
  incident: Incident;
  /** Shown to the presser only. */
  tell(text: string): Promise<void>;
}

/**
 * The common part of every incident button: ack first, validate the
 * payload, check the presser may respond, find the incident. Returns null
 * when the press stops here (the presser has been told why).
 */
export async function acceptPress(ctx: SlackContext, args: PressArgs, action: string): Promise<Press | null> {
  await args.ack();
  const tell = async (text: string) => {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
  };
  const parsed = ButtonPress.safeParse(args.body);
  if (!parsed.success) {
    ctx.log.warn({ action, issues: parsed.error.issues.length }, 'slack button payload rejected');
    return null;
  }
  const press = parsed.data;
  const userId = press.user.id;
  const decision = await ctx.authz.check(userId, 'respond');
  if (!decision.allowed) {
    ctx.log.info({ action, user: userId }, 'slack button press refused');
    await tell(`🚫 You can't ${action.replace(/_/g, ' ')} from Slack. ${decision.reason ?? ''}`);
    return null;
  }
  const incidentId = press.actions[0]!.value ?? (await ctx.chat.incidentAt(press.channel?.id ?? '', press.container?.thread_ts ?? press.container?.message_ts ?? ''));
  const row = incidentId ? await new IncidentRepo(ctx.store.db).row(incidentId) : undefined;
  const incident = row ? toIncident(row) : undefined;
  if (!incident) {
    await tell('This button belongs to an incident pitcrew no longer knows.');
    return null;
  }
  return { userId, actor: actorFor(ctx, { id: userId, name: press.user.username ?? press.user.name }), incident, tell };
}

export type ActionListener = (app: App, ctx: SlackContext) => void;
