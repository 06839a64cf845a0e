import type { Redactor } from '../../ops/redaction/redactor.js';
import type { Handoff } from './model.js';

/**
 * Secrets out of every text field that came from outside (alert titles and
 * names, services, PR titles, people, reasons and details) before the
 * handoff leaves for Slack, GitHub or a model (I3). Ids, numbers and URLs
 * pitcrew built are left alone: entropy rules would mangle ids.
 */
export async function redactHandoff(handoff: Handoff, redactor: Redactor): Promise<Handoff> {
  const r = async (text: string) => (await redactor.redact(text)).text;
  const rn = async (text: string | null) => (text === null ? null : r(text));
  return {
    ...handoff,
    headline: await Promise.all(handoff.headline.map(r)),
    openIncidents: await Promise.all(handoff.openIncidents.map(async (i) => ({ ...i, title: await r(i.title), service: await rn(i.service), owner: await rn(i.owner) }))),
    resolved: { ...handoff.resolved, items: await Promise.all(handoff.resolved.items.map(async (i) => ({ ...i, title: await r(i.title), service: await rn(i.service) }))) },
    remediations: {
      ...handoff.remediations,
      items: await Promise.all(handoff.remediations.items.map(async (e) => ({
        ...e,
        reason: await rn(e.reason),
        actions: await Promise.all(e.actions.map(async (a) => ({ ...a, detail: await r(a.detail) }))),
        verification: { ...e.verification, detail: await rn(e.verification.detail) },
      }))),
    },
    waitingPulls: await Promise.all(handoff.waitingPulls.map(async (p) => ({ ...p, title: await r(p.title) }))),
    noisyAlerts: await Promise.all(handoff.noisyAlerts.map(async (a) => ({ ...a, alert: await r(a.alert), service: await rn(a.service) }))),
    overrides: await Promise.all(handoff.overrides.map(async (o) => ({ ...o, title: await r(o.title), by: await rn(o.by) }))),
    controls: { ...handoff.controls, pause: { ...handoff.controls.pause, reason: await rn(handoff.controls.pause.reason), by: await rn(handoff.controls.pause.by) } },
  };
}
