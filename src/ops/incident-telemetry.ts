import type { IncidentChange, IncidentSubscriber } from '../domain/incident-change.js';
import type { Telemetry } from './telemetry.js';

/** Whether a pitcrew plan was executed for the incident (the execution journal answers; none on a service that cannot execute). */
export type RemediationLookup = (incidentId: string) => Promise<boolean>;

export const NEVER_REMEDIATED: RemediationLookup = async () => false;

/**
 * Time to resolve, from the incident-change stream: every resolution (an
 * alert clearing or a human resolving it) is one change of kind `resolved`,
 * whichever replica recorded it. Changes arrive at least once, so recently
 * seen ids are remembered and a redelivery is not counted again. Flapping
 * incidents resolve over and over; they are left out (they would swamp MTTR
 * with seconds-long "resolutions").
 */
export function incidentTelemetry(telemetry: Telemetry, remediated: RemediationLookup = NEVER_REMEDIATED, remember = 10_000): IncidentSubscriber {
  const seen = new Set<string>();
  return {
    name: 'telemetry',
    async onIncidentChange(change: IncidentChange): Promise<void> {
      const { incident } = change;
      if (change.kind !== 'resolved' || incident.state !== 'resolved' || incident.flapping || incident.resolvedAt === null) return;
      if (seen.has(change.id)) return;
      const wasRemediated = await remediated(incident.id).catch(() => false);
      seen.add(change.id);
      if (seen.size > remember) seen.delete(seen.values().next().value!);
      telemetry.incidentResolved({ durationMs: incident.resolvedAt - incident.openedAt, remediated: wasRemediated });
    },
  };
}
