import type { Clock } from '../../domain/clock.js';
import type { KillSwitch, PauseState } from '../../domain/execution.js';
import type { Incident } from '../../domain/incident.js';
import type { Retriever } from '../../domain/retrieval.js';
import type { Logger } from '../../ops/logger.js';
import type { ProposeOutcome } from '../../pipeline/ports/forge.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import type { Store } from '../../store/store.js';
import type { SlackAuthorizer } from './authorize.js';
import type { SlackOutbound } from './outbound.js';
import type { SlackChat } from './slack-chat.js';

/** What `/pitcrew status` reports. The breaker comes from the executor once it is wired. */
export interface ServiceStatus {
  /** Jobs pending or running in the durable queues. */
  queueDepth: number;
  /** Circuit breaker state, e.g. `closed`, `open (3 failures)`; null when no executor reports one. */
  breaker: string | null;
  paused: PauseState;
}

/** `/pitcrew handoff [window]`: provided by the handoff module when it is present. */
export type HandoffPort = (input: { window?: string; requestedBy: string }) => Promise<{ text: string }>;

export interface SlackResponder {
  proposeLatest(incident: Incident, requestedBy?: string): Promise<ProposeOutcome | { status: 'not_proposed'; reason: string }>;
}

/** Everything the Slack listeners use, passed in (no singletons). */
export interface SlackContext {
  chat: SlackChat;
  outbound: SlackOutbound;
  authz: SlackAuthorizer;
  store: Store;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  responder: SlackResponder;
  retriever: () => Promise<Retriever>;
  killSwitch: KillSwitch;
  status: () => Promise<ServiceStatus>;
  handoff?: HandoffPort;
}

/** How a Slack user appears as an actor on timelines: their GitHub login when mapped, else `slack:<name>`. */
export function actorFor(ctx: Pick<SlackContext, 'authz'>, user: { id: string; name?: string | undefined }): string {
  return ctx.authz.githubLogin(user.id) ?? `slack:${user.name ?? user.id}`;
}
