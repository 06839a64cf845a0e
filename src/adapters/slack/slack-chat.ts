import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import type { Incident, IncidentEvent } from '../../domain/incident.js';
import type { SignalLink } from '../../domain/signal.js';
import { KeyedMutex } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import type { Chat, ThreadRef, ThreadReply } from '../../pipeline/ports/chat.js';
import { ChatMessageRepo, ROOT_KEY } from '../../store/chat-message-repo.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { ChatMessagesTable } from '../../store/schema.js';
import type { Db } from '../../store/store.js';
import { executionReply, noteReply } from './blocks/execution.js';
import { incidentRoot, type RootExtras } from './blocks/incident-root.js';
import type { SlackMessage } from './blocks/limits.js';
import { planReply } from './blocks/plan.js';
import { proposalReply } from './blocks/proposal.js';
import { retrievalReply } from './blocks/retrieval.js';
import type { SlackOutbound } from './outbound.js';

export interface SlackChatDeps {
  outbound: SlackOutbound;
  db: Db;
  /** The channel id incident threads are posted in (resolved from SLACK_CHANNEL on first use). */
  channel: () => Promise<string>;
  clock: Clock;
  log: Logger;
  /** Untrusted text (alert titles, links, passages) is redacted before it is posted (invariant I3). */
  redactor?: Redactor;
  /** Show the "Propose fix PR" button (GitHub is on). */
  canPropose: boolean;
  /** This process, as the claimer of messages it is posting. */
  replicaId: string;
  /** A claim older than this, still without a message, was abandoned (its holder died) and may be taken over. */
  claimStaleMs?: number;
  /** How long to wait for another replica's claim to turn into a message before giving the change back to the queue. */
  claimWaitMs?: number;
}

/**
 * The Chat port on Slack: one thread per incident in one channel. The root
 * message is posted once and updated in place (only when what it shows
 * changed, and never back to an older state); each reply key is posted once
 * and updated when posted again. Where every message is lives in the store,
 * claimed before posting, so restarts, redeliveries and several replicas
 * never post twice (ADR 0011).
 */
export class SlackChat implements Chat {
  private readonly mutex = new KeyedMutex();
  private readonly messages: ChatMessageRepo;
  private readonly incidents: IncidentRepo;
  /** The newest state seen per incident: a change that waited behind a newer one renders the newer one. */
  private readonly newest = new Map<string, Incident>();
  /** Root updates scheduled and not yet rendering, by incident. */
  private readonly pendingRoots = new Map<string, Promise<void>>();
  /** Root updates scheduled or running. */
  private readonly rootUpdates = new Set<Promise<void>>();

  constructor(private readonly deps: SlackChatDeps) {
    this.messages = new ChatMessageRepo(deps.db);
    this.incidents = new IncidentRepo(deps.db);
  }

  /**
   * Posts the root the first time (waiting for it, so replies have a thread).
   * Afterwards the update is scheduled and coalesced: however many changes
   * arrive while Slack's chat.update tier makes us wait, the root is written
   * once more, with the newest state. `reconcile()` re-renders any root whose
   * incident moved on meanwhile (after a crash too), so none stays stale.
   */
  async syncIncident(incident: Incident): Promise<ThreadRef | null> {
    this.remember(incident);
    const existing = await this.messages.get(incident.id, ROOT_KEY);
    if (existing?.ts) {
      this.scheduleRootUpdate(incident.id);
      return refOf(existing);
    }
    return this.mutex.run(incident.id, () => this.syncRoot(incident.id));
  }

  reply(incident: Incident, key: string, reply: ThreadReply): Promise<void> {
    this.remember(incident);
    return this.mutex.run(incident.id, async () => {
      const existing = await this.messages.get(incident.id, ROOT_KEY);
      const root = existing?.ts ? refOf(existing) : await this.syncRoot(incident.id);
      const rendered = await this.redactMessage(this.renderReply(incident, reply));
      const linkUrl = reply.kind === 'proposal' && 'url' in reply.outcome ? reply.outcome.url : null;
      await this.upsert(incident.id, key, rendered, { threadTs: root.ts, version: incident.updatedAt, linkUrl });
      // The root links the fix PR: show it there too.
      if (linkUrl) this.scheduleRootUpdate(incident.id);
    });
  }

  /** Schedules re-rendering the roots whose incident changed after they were last written. */
  async reconcile(): Promise<number> {
    const stale = await this.deps.db
      .selectFrom('chat_messages')
      .innerJoin('incidents', 'incidents.id', 'chat_messages.incident_id')
      .selectAll('incidents')
      .where('chat_messages.key', '=', ROOT_KEY)
      .where('chat_messages.ts', 'is not', null)
      .whereRef('chat_messages.version', '<', 'incidents.updated_at')
      .limit(200)
      .execute();
    for (const row of stale) {
      this.remember(toIncident(row));
      this.scheduleRootUpdate(row.id);
    }
    return stale.length;
  }

  /** Waits until every scheduled root update has been written (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.rootUpdates.size > 0) await Promise.allSettled([...this.rootUpdates]);
  }

  private remember(incident: Incident): void {
    const seen = this.newest.get(incident.id);
    if (!seen || seen.updatedAt <= incident.updatedAt) this.newest.set(incident.id, incident);
  }

  private scheduleRootUpdate(incidentId: string): void {
    if (this.pendingRoots.has(incidentId)) return; // the scheduled update will render the newest state
    const run = this.mutex.run(incidentId, async () => {
      // From here on a new change schedules another update: this one may already be rendering an older state.
      this.pendingRoots.delete(incidentId);
      await this.syncRoot(incidentId);
    }).catch((error: Error) => {
      this.deps.log.warn({ incidentId, err: error.message }, 'slack root update failed; the reconciler retries it');
    });
    this.pendingRoots.set(incidentId, run);
    this.rootUpdates.add(run);
    void run.finally(() => this.rootUpdates.delete(run));
  }

  async threadOf(incidentId: string): Promise<ThreadRef | null> {
    const row = await this.messages.get(incidentId, ROOT_KEY);
    return row?.ts ? refOf(row) : null;
  }

  /** The incident a thread belongs to, from any message in it (for mentions and buttons). */
  incidentAt(channel: string, ts: string): Promise<string | undefined> {
    return this.messages.incidentAt(channel, ts);
  }

  private async syncRoot(incidentId: string): Promise<ThreadRef> {
    const incident = this.newest.get(incidentId)!;
    const rendered = await this.redactMessage(incidentRoot(incident, await this.rootExtras(incident)));
    const row = await this.upsert(incident.id, ROOT_KEY, rendered, { version: incident.updatedAt });
    return refOf(row);
  }

  /** Posts (incident, key) once; afterwards updates it when its content changed and the version is not older. */
  private async upsert(incidentId: string, key: string, rendered: SlackMessage, options: { threadTs?: string; version: number; linkUrl?: string | null }): Promise<ChatMessagesTable> {
    const contentHash = createHash('sha256').update(JSON.stringify(rendered)).digest('hex');
    const { clock, replicaId } = this.deps;
    const channel = await this.deps.channel();
    const started = clock.now();
    for (;;) {
      const claim = await this.messages.claim(incidentId, key, channel, replicaId, clock.now());
      if (claim.kind === 'claimed') return this.post(incidentId, key, rendered, contentHash, options);
      const row = claim.row;
      if (row.ts) {
        if (Number(row.version) > options.version) return row;
        if (row.content_hash === contentHash) {
          // Nothing to show, but remember the version so the reconciler does not come back for it.
          if (options.version > Number(row.version)) await this.messages.updated(incidentId, key, { contentHash, version: options.version, now: clock.now() });
          return row;
        }
        await this.deps.outbound.update({ channel: row.channel, ts: row.ts, text: rendered.text, blocks: rendered.blocks });
        await this.messages.updated(incidentId, key, { contentHash, version: options.version, ...(options.linkUrl !== undefined ? { linkUrl: options.linkUrl } : {}), now: clock.now() });
        return { ...row, content_hash: contentHash, version: options.version };
      }
      // Claimed by someone else who has not posted yet.
      if (clock.now() - Number(row.claimed_at) > (this.deps.claimStaleMs ?? 120_000)) {
        if (await this.messages.takeOver(row, replicaId, clock.now())) {
          this.deps.log.warn({ incidentId, key, previous: row.claimed_by }, 'taking over an abandoned slack message claim');
          return this.post(incidentId, key, rendered, contentHash, options);
        }
        continue;
      }
      if (clock.now() - started > (this.deps.claimWaitMs ?? 30_000)) {
        throw new PitcrewError('chat_pending', `Another replica is posting ${key} of incident ${incidentId}.`, 'The change is retried from the queue.');
      }
      await sleep(200);
    }
  }

  private async post(incidentId: string, key: string, rendered: SlackMessage, contentHash: string, options: { threadTs?: string; version: number; linkUrl?: string | null }): Promise<ChatMessagesTable> {
    const { outbound, clock, replicaId } = this.deps;
    const channel = await this.deps.channel();
    let posted: { channel: string; ts: string };
    try {
      posted = await outbound.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, ...(options.threadTs ? { threadTs: options.threadTs } : {}) });
    } catch (error) {
      await this.messages.release(incidentId, key, replicaId);
      throw error;
    }
    // Recorded at once: from here on a retry updates this message instead of posting another.
    const permalink = key === ROOT_KEY ? await outbound.permalink(posted.channel, posted.ts) : null;
    await this.messages.posted(incidentId, key, { channel: posted.channel, ts: posted.ts, permalink, linkUrl: options.linkUrl ?? null, contentHash, version: options.version, now: clock.now() });
    this.deps.log.info({ incidentId, key, channel: posted.channel, ts: posted.ts }, 'slack message posted');
    return (await this.messages.get(incidentId, key))!;
  }

  private async rootExtras(incident: Incident): Promise<RootExtras> {
    const [alerts, timeline, pr] = await Promise.all([this.incidents.alerts(incident.id), this.incidents.timeline(incident.id), this.messages.latestLink(incident.id, 'proposal:')]);
    const seen = new Set<string>();
    const links: SignalLink[] = [];
    for (const alert of alerts) {
      for (const l of alert.signal.links) {
        if (seen.has(l.url)) continue;
        seen.add(l.url);
        links.push(l);
      }
    }
    const extras: RootExtras = { links };
    const stateEvent = [...timeline].reverse().find((event) => event.kind === incident.state || (incident.state === 'resolved' && event.kind === 'resolved'));
    if (stateEvent && stateEvent.actor !== 'pitcrew' && incident.state !== 'open') extras.stateBy = actorOf(stateEvent);
    const snooze = [...timeline].reverse().find((event) => event.kind === 'snoozed');
    const until = Number(snooze?.detail.until ?? 0);
    if (snooze && until > this.deps.clock.now()) extras.snoozed = { until, by: actorOf(snooze) };
    if (pr) extras.pullRequest = { url: pr, number: Number(/\/pull\/(\d+)/.exec(pr)?.[1] ?? 0) || null };
    return extras;
  }

  private renderReply(incident: Incident, reply: ThreadReply): SlackMessage {
    switch (reply.kind) {
      case 'retrieval':
        return retrievalReply(reply.retrieval);
      case 'plan':
        return planReply(reply.plan, incident.id, { canPropose: this.deps.canPropose });
      case 'proposal':
        return proposalReply(reply.outcome, reply.requestedBy);
      case 'execution':
        return executionReply(reply.note);
      case 'note':
        return noteReply(reply.text);
    }
  }

  /**
   * Redacts the text Slack will show, after rendering: a handful of strings
   * rather than every field of a retrieval result (secretlint costs a few ms a
   * string). Ids, action ids and button values are not text and stay intact.
   */
  private async redactMessage(message: SlackMessage): Promise<SlackMessage> {
    const redactor = this.deps.redactor;
    if (!redactor) return message;
    const walk = async (value: unknown): Promise<unknown> => {
      if (Array.isArray(value)) return Promise.all(value.map(walk));
      if (value === null || typeof value !== 'object') return value;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(record)) {
        const isText = key === 'text' && typeof item === 'string' && (record.type === 'mrkdwn' || record.type === 'plain_text');
        out[key] = isText ? (await redactor.redact(item)).text : await walk(item);
      }
      return out;
    };
    return { text: (await redactor.redact(message.text)).text, blocks: (await walk(message.blocks)) as SlackMessage['blocks'] };
  }
}

function refOf(row: ChatMessagesTable): ThreadRef {
  return { channel: row.channel, ts: row.ts!, ...(row.permalink ? { permalink: row.permalink } : {}) };
}

/** The Slack user behind a timeline event when it came from Slack (shown as a mention), else its actor. */
function actorOf(event: IncidentEvent): string {
  const slackUser = event.detail.slackUser;
  return typeof slackUser === 'string' ? slackUser : event.actor;
}
