import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod/v4';
import { normalizeSeverity, type Severity, type Signal, type SignalLink } from '../../domain/signal.js';
import { parseTime } from './alertmanager.js';
import { firstIssue } from './json-body.js';
import type { AlertSource } from './source.js';

/**
 * PagerDuty v3 webhooks: `{ event: { event_type, occurred_at, data } }` where,
 * for incident events, `data` is the incident. One PagerDuty incident is one
 * alert (fingerprint = its id). Events that are not about an incident's state
 * (pings, notes, responders, …) are acknowledged and not stored.
 */
export const PagerDutyEnvelope = z.object({
  event: z.object({
    id: z.string().optional(),
    event_type: z.string().min(1, { error: 'must name the event type' }),
    occurred_at: z.string().optional(),
    data: z.unknown(),
  }),
});
export type PagerDutyEnvelope = z.infer<typeof PagerDutyEnvelope>;

const Ref = z.object({ id: z.string().optional(), summary: z.string().optional(), html_url: z.string().optional() });

export const PagerDutyIncident = z.object({
  id: z.string().min(1, { error: 'must be the incident id' }),
  type: z.string().optional(),
  number: z.number().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  urgency: z.string().optional(),
  html_url: z.string().optional(),
  created_at: z.string().optional(),
  service: Ref.nullish(),
  priority: Ref.nullish(),
});
export type PagerDutyIncident = z.infer<typeof PagerDutyIncident>;

/** Incident events that say something about whether it is firing or resolved. */
const STATE_EVENTS = new Set([
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.priority_updated',
]);

type Parsed = { ignored: string } | { event: PagerDutyEnvelope['event']; incident: PagerDutyIncident };

function parse(body: unknown): { ok: true; value: Parsed } | { ok: false; path: string; message: string } {
  const envelope = PagerDutyEnvelope.safeParse(body);
  if (!envelope.success) return { ok: false, ...firstIssue(envelope.error) };
  const { event } = envelope.data;
  if (!STATE_EVENTS.has(event.event_type)) return { ok: true, value: { ignored: `event type ${event.event_type} does not change an incident's state` } };
  const incident = PagerDutyIncident.safeParse(event.data);
  if (!incident.success) return { ok: false, ...firstIssue(incident.error, ['event', 'data']) };
  if (incident.data.type !== undefined && incident.data.type !== 'incident') {
    return { ok: true, value: { ignored: `event data is a ${incident.data.type}, not an incident` } };
  }
  return { ok: true, value: { event, incident: incident.data } };
}

const URGENCY: Record<string, Severity> = { high: 'high', low: 'warning' };

export function pagerDutyToSignal(event: PagerDutyEnvelope['event'], incident: PagerDutyIncident): Signal {
  const resolved = event.event_type === 'incident.resolved' || incident.status === 'resolved';
  const prioritySeverity = normalizeSeverity(incident.priority?.summary);
  const severity = prioritySeverity !== 'unknown' ? prioritySeverity : (URGENCY[incident.urgency ?? ''] ?? 'unknown');
  const labels: Record<string, string> = { pagerduty_incident: incident.id };
  if (incident.number !== undefined) labels.pagerduty_number = String(incident.number);
  if (incident.service?.summary) labels.service = incident.service.summary;
  if (incident.urgency) labels.urgency = incident.urgency;
  if (incident.priority?.summary) labels.priority = incident.priority.summary;
  const links: SignalLink[] = [];
  if (incident.html_url) links.push({ title: 'pagerduty', url: incident.html_url });
  if (incident.service?.html_url) links.push({ title: 'service', url: incident.service.html_url });
  // A reopen starts a new episode: it must not look like a stale repeat of the resolved one.
  const startsAt = event.event_type === 'incident.reopened' ? parseTime(event.occurred_at) : (parseTime(incident.created_at) ?? parseTime(event.occurred_at));
  return {
    source: 'pagerduty',
    fingerprint: incident.id,
    status: resolved ? 'resolved' : 'firing',
    severity,
    labels,
    annotations: { event_type: event.event_type },
    summary: incident.title ?? `PagerDuty incident ${incident.number ?? incident.id}`,
    service: incident.service?.summary,
    startsAt,
    endsAt: resolved ? parseTime(event.occurred_at) : undefined,
    links,
  };
}

export const pagerDutySource: AlertSource = {
  name: 'pagerduty',
  validate(body) {
    const result = parse(body);
    if (!result.ok) return result;
    return 'ignored' in result.value ? { ok: true, alerts: 0, ignored: result.value.ignored } : { ok: true, alerts: 1 };
  },
  toSignals(body) {
    const result = parse(body);
    if (!result.ok) throw new Error(result.message);
    return 'ignored' in result.value ? [] : [pagerDutyToSignal(result.value.event, result.value.incident)];
  },
};

/**
 * Verifies `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]` (several during a
 * secret rotation): any one matching HMAC-SHA256 of the raw body passes.
 * Compared in constant time.
 */
export function verifyPagerDutySignature(rawBody: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > 4_096) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'), 'ascii');
  let matched = false;
  for (const part of header.split(',')) {
    const [version, signature] = part.trim().split('=', 2);
    if (version !== 'v1' || !signature) continue;
    const candidate = Buffer.from(signature.toLowerCase(), 'ascii');
    // Keep checking every candidate: the time taken must not depend on which one matched.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

export function signPagerDutyBody(rawBody: Buffer | string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
