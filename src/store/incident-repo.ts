import { sql } from 'kysely';
import type { Incident, IncidentAlert, IncidentEvent, IncidentEventKind, IncidentState } from '../domain/incident.js';
import type { Severity, Signal, SignalSource } from '../domain/signal.js';
import type { IncidentAlertsTable, IncidentEventsTable, IncidentsTable } from './schema.js';
import type { Db } from './store.js';

/** SQL access to incidents, their alerts and timelines. Bind it to a transaction for writes. */
export class IncidentRepo {
  constructor(private readonly db: Db) {}

  /** The latest row for an alert: where its dedupe state lives. */
  latestAlert(source: string, fingerprint: string): Promise<IncidentAlertsTable | undefined> {
    return this.db
      .selectFrom('incident_alerts')
      .selectAll()
      .where('source', '=', source)
      .where('fingerprint', '=', fingerprint)
      .orderBy('last_seen_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The latest row of each of these alerts, keyed `source NUL fingerprint` (one query per 200 alerts). */
  async latestAlerts(keys: Array<{ source: string; fingerprint: string }>): Promise<Map<string, IncidentAlertsTable>> {
    const byKey = new Map<string, IncidentAlertsTable>();
    const fingerprints = [...new Set(keys.map((key) => key.fingerprint))];
    const sources = new Set(keys.map((key) => key.source));
    for (let i = 0; i < fingerprints.length; i += 200) {
      const rows = await this.db
        .selectFrom('incident_alerts')
        .selectAll()
        .where('source', 'in', [...sources])
        .where('fingerprint', 'in', fingerprints.slice(i, i + 200))
        .execute();
      for (const row of rows) {
        const key = `${row.source}\u0000${row.fingerprint}`;
        const current = byKey.get(key);
        if (!current || Number(row.last_seen_at) > Number(current.last_seen_at)) byKey.set(key, row);
      }
    }
    return byKey;
  }

  row(id: string): Promise<IncidentsTable | undefined> {
    return this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The incident a new alert of `groupKey` joins: the latest of that group that
   * is unresolved (and, for label groups, active within the window) or was
   * resolved within the window (it reopens).
   */
  groupCandidate(groupKey: string, mode: 'labels' | 'sender' | 'alert', since: number): Promise<IncidentsTable | undefined> {
    return this.db
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where((eb) => {
        const unresolved = mode === 'labels'
          ? eb.and([eb('state', '!=', 'resolved'), eb('last_signal_at', '>=', since)])
          : eb('state', '!=', 'resolved');
        return eb.or([unresolved, eb.and([eb('state', '=', 'resolved'), eb('resolved_at', '>=', since)])]);
      })
      .orderBy('last_signal_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async nextNumber(): Promise<number> {
    const row = await this.db.selectFrom('incidents').select(sql<number | null>`max(number)`.as('n')).executeTakeFirst();
    return Number(row?.n ?? 0) + 1;
  }

  async insertIncident(row: IncidentsTable): Promise<void> {
    await this.db.insertInto('incidents').values(row).execute();
  }

  async saveIncident(row: IncidentsTable): Promise<void> {
    const { id, ...rest } = row;
    await this.db.updateTable('incidents').set(rest).where('id', '=', id).execute();
  }

  async upsertAlert(row: IncidentAlertsTable): Promise<void> {
    const { incident_id: _i, source: _s, fingerprint: _f, ...rest } = row;
    await this.db
      .insertInto('incident_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['incident_id', 'source', 'fingerprint']).doUpdateSet(rest))
      .execute();
  }

  async updateAlert(key: Pick<IncidentAlertsTable, 'incident_id' | 'source' | 'fingerprint'>, patch: Partial<IncidentAlertsTable>): Promise<void> {
    await this.db
      .updateTable('incident_alerts')
      .set(patch)
      .where('incident_id', '=', key.incident_id)
      .where('source', '=', key.source)
      .where('fingerprint', '=', key.fingerprint)
      .execute();
  }

  async insertEvents(rows: IncidentEventsTable[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('incident_events').values(rows).execute();
  }

  async countEvents(incidentId: string, kinds: IncidentEventKind[], since: number): Promise<number> {
    const row = await this.db
      .selectFrom('incident_events')
      .select(sql<number>`count(*)`.as('n'))
      .where('incident_id', '=', incidentId)
      .where('kind', 'in', kinds)
      .where('at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async list(filter: { state?: IncidentState | 'active'; limit?: number } = {}): Promise<Incident[]> {
    let query = this.db.selectFrom('incidents').selectAll().orderBy('number', 'desc').limit(filter.limit ?? 50);
    if (filter.state === 'active') query = query.where('state', '!=', 'resolved');
    else if (filter.state) query = query.where('state', '=', filter.state);
    return (await query.execute()).map(toIncident);
  }

  /** By number (`12`, `#12`) or by id (or a unique id prefix of at least 6 characters). */
  async find(ref: string): Promise<Incident | undefined> {
    const trimmed = ref.trim().replace(/^#/, '');
    if (/^\d+$/.test(trimmed)) {
      const row = await this.db.selectFrom('incidents').selectAll().where('number', '=', Number(trimmed)).executeTakeFirst();
      return row && toIncident(row);
    }
    if (trimmed.length < 6) return undefined;
    const rows = await this.db.selectFrom('incidents').selectAll().where('id', 'like', `${trimmed.replace(/[%_]/g, '')}%`).limit(2).execute();
    return rows.length === 1 ? toIncident(rows[0]!) : undefined;
  }

  async alerts(incidentId: string): Promise<IncidentAlert[]> {
    const rows = await this.db.selectFrom('incident_alerts').selectAll().where('incident_id', '=', incidentId).orderBy('first_seen_at').orderBy('fingerprint').execute();
    return rows.map(toIncidentAlert);
  }

  async timeline(incidentId: string): Promise<IncidentEvent[]> {
    const rows = await this.db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
    return rows.map(toIncidentEvent);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('incidents').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

export function toIncident(row: IncidentsTable): Incident {
  return {
    id: row.id,
    number: Number(row.number),
    groupKey: row.group_key,
    title: row.title,
    severity: row.severity as Severity,
    service: row.service,
    source: row.source as SignalSource,
    state: row.state,
    openedAt: Number(row.opened_at),
    acknowledgedAt: num(row.acknowledged_at),
    mitigatingAt: num(row.mitigating_at),
    resolvedAt: num(row.resolved_at),
    reopenedCount: Number(row.reopened_count),
    lastSignalAt: Number(row.last_signal_at),
    flapping: Number(row.flapping) === 1,
    flappingSince: num(row.flapping_since),
    alertsTotal: Number(row.alerts_total),
    alertsFiring: Number(row.alerts_firing),
    updatedAt: Number(row.updated_at),
  };
}

export function toIncidentAlert(row: IncidentAlertsTable): IncidentAlert {
  return {
    incidentId: row.incident_id,
    source: row.source as SignalSource,
    fingerprint: row.fingerprint,
    status: row.status,
    alertname: row.alertname,
    severity: row.severity as Severity,
    summary: row.summary,
    signal: JSON.parse(row.signal) as Signal,
    startsAt: num(row.starts_at),
    endsAt: num(row.ends_at),
    firstSeenAt: Number(row.first_seen_at),
    lastSeenAt: Number(row.last_seen_at),
    lastChangeAt: Number(row.last_change_at),
    seenCount: Number(row.seen_count),
    stateChanges: Number(row.state_changes),
  };
}

export function toIncidentEvent(row: IncidentEventsTable): IncidentEvent {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    kind: row.kind as IncidentEventKind,
    actor: row.actor,
    fingerprint: row.fingerprint,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
