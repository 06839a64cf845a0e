import type { KillSwitch } from '../domain/execution.js';
import type { Severity } from '../domain/signal.js';
import type { AlertEventFact, CiOutcomeFact, HandoffSources, OpenIncidentFact } from '../pipeline/handoff/model.js';
import { disconnectedBreaker, type BreakerReader, type ExecutionJournalReader } from '../pipeline/handoff/ports.js';
import { FixPullRepo } from './fix-pull-repo.js';
import type { Db } from './store.js';

export interface StoreHandoffDeps {
  db: Db;
  killSwitch: KillSwitch;
  /** The execution journal's read side; null until the execution stage is wired in. */
  executions?: ExecutionJournalReader | null;
  breaker?: BreakerReader;
  /** Caps per section, so a pathological window cannot load the whole store. */
  limits?: { incidents?: number; events?: number; ciOutcomes?: number };
}

const ALERT_KINDS = ['alert_added', 'alert_refired', 'alert_resolved', 'flapping_started'] as const;

/** The handoff's sources over the SQL store (SQLite or Postgres). Read-only. */
export function storeHandoffSources(deps: StoreHandoffDeps): HandoffSources {
  const { db } = deps;
  const limits = { incidents: 500, events: 20_000, ciOutcomes: 20_000, ...deps.limits };
  const fixPulls = new FixPullRepo(db);
  return {
    async openIncidents() {
      const rows = await db.selectFrom('incidents').selectAll().where('state', '!=', 'resolved').orderBy('opened_at').limit(limits.incidents).execute();
      const owners = new Map<string, string>();
      if (rows.length > 0) {
        // The owner is whoever last acknowledged or took it to mitigating (pitcrew itself never owns).
        const events = await db.selectFrom('incident_events').select(['incident_id', 'actor', 'seq'])
          .where('incident_id', 'in', rows.map((row) => row.id))
          .where('kind', 'in', ['acknowledged', 'mitigating'])
          .where('actor', '!=', 'pitcrew')
          .orderBy('incident_id').orderBy('seq')
          .execute();
        for (const event of events) owners.set(event.incident_id, event.actor);
      }
      return rows.map((row): OpenIncidentFact => ({
        id: row.id,
        number: Number(row.number),
        title: row.title,
        severity: row.severity as Severity,
        service: row.service,
        state: row.state as OpenIncidentFact['state'],
        openedAt: Number(row.opened_at),
        flapping: Number(row.flapping) === 1,
        alertsFiring: Number(row.alerts_firing),
        owner: owners.get(row.id) ?? null,
      }));
    },

    async resolvedIncidents(window) {
      const rows = await db.selectFrom('incidents').selectAll()
        .where('state', '=', 'resolved').where('resolved_at', '>=', window.from).where('resolved_at', '<', window.to)
        .orderBy('resolved_at').limit(limits.incidents).execute();
      return rows.map((row) => ({
        id: row.id,
        number: Number(row.number),
        title: row.title,
        severity: row.severity as Severity,
        service: row.service,
        openedAt: Number(row.opened_at),
        resolvedAt: Number(row.resolved_at),
        reopenedCount: Number(row.reopened_count),
      }));
    },

    async executions(window) {
      if (!deps.executions) return { connected: false, items: [] };
      return { connected: true, items: await deps.executions.executedBetween(window) };
    },

    fixPulls: (window) => fixPulls.forHandoff(window),

    async alertEvents(window) {
      const rows = await db.selectFrom('incident_events as e')
        .innerJoin('incidents as i', 'i.id', 'e.incident_id')
        .leftJoin('incident_alerts as a', (join) => join.onRef('a.incident_id', '=', 'e.incident_id').onRef('a.fingerprint', '=', 'e.fingerprint'))
        .select(['e.kind', 'e.at', 'e.fingerprint', 'i.number', 'i.title', 'i.service', 'a.alertname', 'a.summary'])
        .where('e.kind', 'in', [...ALERT_KINDS])
        .where('e.at', '>=', window.from).where('e.at', '<', window.to)
        .orderBy('e.at').limit(limits.events).execute();
      return rows.map((row): AlertEventFact => ({
        alert: row.alertname ?? row.summary ?? row.title,
        service: row.service,
        fingerprint: row.fingerprint ?? '',
        incidentNumber: Number(row.number),
        kind: row.kind as AlertEventFact['kind'],
        at: Number(row.at),
      }));
    },

    async ciOutcomes(window) {
      const rows = await db.selectFrom('ci_failure_history').selectAll()
        .where('occurred_at', '>=', window.from).where('occurred_at', '<', window.to)
        .orderBy('occurred_at').limit(limits.ciOutcomes).execute();
      return rows.map((row): CiOutcomeFact => ({
        repo: row.repo,
        workflow: row.workflow,
        job: row.job,
        sha: row.sha,
        branch: row.branch,
        isDefaultBranch: Number(row.is_default_branch) === 1,
        conclusion: row.conclusion,
        // The row's category when the recorder set one, else the signature's `<category>:` prefix.
        signature: row.signature ?? (row.category ? `${row.category}:` : null),
        occurredAt: Number(row.occurred_at),
      }));
    },

    pause: () => deps.killSwitch.state(),
    breaker: () => (deps.breaker ?? disconnectedBreaker).state(),
  };
}
