import { z } from 'zod/v4';
import { normalizeSeverity, type Signal } from '../../domain/signal.js';
import { labelsFingerprint } from './alertmanager.js';
import { firstIssue } from './json-body.js';
import type { AlertSource } from './source.js';

/**
 * The generic alert schema, for senders that are not Alertmanager, Grafana or
 * PagerDuty. POST one alert, or `{ "alerts": [ … ] }`. Its JSON Schema is
 * generated from these definitions into docs/schemas/generic-alert.schema.json.
 */
const Timestamp = z
  .union([
    z.string().refine((value) => Number.isFinite(Date.parse(value)), { error: 'must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z' }),
    z.number().int().positive(),
  ])
  .meta({ id: 'Timestamp', description: 'ISO 8601 time, or epoch milliseconds' });

const LabelValue = z.union([z.string(), z.number(), z.boolean()]);

export const GenericAlert = z
  .looseObject({
    title: z.string().trim().min(1, { error: 'must not be empty' }).max(1_000).describe('One line for humans. Also the alert name unless labels.alertname is set.'),
    fingerprint: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('Stable identity of the alert across notifications; repeats with the same fingerprint and status are duplicates. Default: a hash of the title, service and labels.'),
    status: z.enum(['firing', 'resolved']).default('firing').describe('Send `resolved` with the same fingerprint to resolve the alert.'),
    severity: z.string().max(64).optional().describe('critical, high, warning, info (and common aliases: p1…p5, sev1…sev4, error, minor, …).'),
    service: z.string().max(256).optional().describe('The service the alert is about.'),
    description: z.string().max(20_000).optional(),
    labels: z.record(z.string(), LabelValue).optional().describe('Key/value labels; numbers and booleans become strings.'),
    annotations: z.record(z.string(), z.string()).optional(),
    startsAt: Timestamp.optional(),
    endsAt: Timestamp.optional(),
    links: z.array(z.object({ title: z.string(), url: z.string() })).max(50).optional(),
    group: z.string().max(512).optional().describe('Alerts with the same group share an incident while it is unresolved.'),
  })
  .meta({ id: 'GenericAlert', description: 'One alert' });
export type GenericAlert = z.infer<typeof GenericAlert>;

export const GenericBatch = z
  .looseObject({ alerts: z.array(GenericAlert).min(1, { error: 'must hold at least one alert' }).max(1_000) })
  .describe('Several alerts in one request');
export type GenericBatch = z.infer<typeof GenericBatch>;

/** The documented body: one alert, or a batch. */
export const GenericWebhook = z.union([GenericAlert, GenericBatch]);

function isBatch(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'alerts' in body;
}

function parse(body: unknown): { ok: true; alerts: GenericAlert[] } | { ok: false; path: string; message: string } {
  if (isBatch(body)) {
    const parsed = GenericBatch.safeParse(body);
    return parsed.success ? { ok: true, alerts: parsed.data.alerts } : { ok: false, ...firstIssue(parsed.error) };
  }
  const parsed = GenericAlert.safeParse(body);
  return parsed.success ? { ok: true, alerts: [parsed.data] } : { ok: false, ...firstIssue(parsed.error) };
}

const toMs = (value: string | number | undefined) => (value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(value));

export function genericAlertToSignal(alert: GenericAlert): Signal {
  const labels = Object.fromEntries(Object.entries(alert.labels ?? {}).map(([key, value]) => [key, String(value)]));
  if (alert.service && labels.service === undefined) labels.service = alert.service;
  const alertname = labels.alertname ?? alert.title;
  return {
    source: 'generic',
    fingerprint: alert.fingerprint ?? labelsFingerprint({ ...labels, __title__: alert.title }),
    status: alert.status,
    alertname,
    severity: normalizeSeverity(alert.severity ?? labels.severity),
    labels,
    annotations: alert.annotations ?? {},
    summary: alert.title,
    description: alert.description,
    service: alert.service ?? labels.service,
    startsAt: toMs(alert.startsAt),
    endsAt: toMs(alert.endsAt),
    links: alert.links ?? [],
    groupKey: alert.group,
  };
}

export const genericSource: AlertSource = {
  name: 'generic',
  validate(body) {
    const result = parse(body);
    return result.ok ? { ok: true, alerts: result.alerts.length } : result;
  },
  toSignals(body) {
    const result = parse(body);
    if (!result.ok) throw new Error(result.message);
    return result.alerts.map(genericAlertToSignal);
  },
};

/** The JSON Schema of the generic body, as published in docs/schemas/generic-alert.schema.json. */
export function genericAlertJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(GenericWebhook, { io: 'input', target: 'draft-2020-12', reused: 'ref' }) as Record<string, unknown>;
  // zod copies the registry id into each definition; the name of the $defs entry already says it.
  for (const definition of Object.values((schema.$defs ?? {}) as Record<string, Record<string, unknown>>)) delete definition.id;
  return {
    $schema: schema.$schema,
    $id: 'https://github.com/pitcrew/pitcrew/docs/schemas/generic-alert.schema.json',
    title: 'pitcrew generic alert',
    description: 'Body of POST /alerts/generic: one alert, or {"alerts": [...]}. Unknown fields are accepted and ignored.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
