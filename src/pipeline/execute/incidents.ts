import type { Clock } from '../../domain/clock.js';
import { canTransition, type Incident } from '../../domain/incident.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import type { Store } from '../../store/store.js';
import { transitionIncident } from '../intake/transition.js';

/** What execution does to incidents: find the plan's incident, and move it to `mitigating` once its plan ran. */
export interface ExecutionIncidents {
  find(id: string): Promise<Incident | null>;
  /** Moves the incident to mitigating when it is earlier in its life; a no-op otherwise (idempotent). */
  mitigating(id: string, actor: string): Promise<void>;
}

export function storedIncidents(store: Store, clock: Clock, jobs?: JobQueue): ExecutionIncidents {
  return {
    find: async (id) => {
      const row = await new IncidentRepo(store.db).row(id);
      return row ? toIncident(row) : null;
    },
    mitigating: async (id, actor) => {
      await store.writeTransaction(async (trx) => {
        const row = await new IncidentRepo(trx).row(id);
        if (!row || !canTransition(row.state, 'mitigating')) return;
        // By number: transitionIncident looks ids up by prefix, which strips `_`.
        await transitionIncident(trx, String(row.number), 'mitigating', actor, { clock, ...(jobs ? { jobs } : {}) });
      });
    },
  };
}
