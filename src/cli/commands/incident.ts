import { Command, Option } from 'commander';
import { systemClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { mttaMs, mttrMs, type Incident, type IncidentAlert, type IncidentEvent, type IncidentState } from '../../domain/incident.js';
import { transitionIncident } from '../../pipeline/intake/transition.js';
import { IncidentRepo } from '../../store/incident-repo.js';
import { JobQueue } from '../../store/queue/job-queue.js';
import { LocalNotifier } from '../../store/queue/notifier.js';
import { openStore } from '../../store/store.js';
import { formatDuration, formatTime, pad, truncate } from '../format.js';
import { color, mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';
import { stateColor } from './incidents.js';

type Settable = Exclude<IncidentState, 'open'>;

export function incidentCommand(): Command {
  return new Command('incident')
    .description('Show one incident: its state and timestamps (MTTA, MTTR), its alerts and its timeline.')
    .argument('<id>', 'incident number (12 or #12) or id')
    .option('--json', 'print the incident, alerts and timeline as JSON')
    .addOption(new Option('--set <state>', 'move it forward: acknowledged, mitigating or resolved').choices(['acknowledged', 'mitigating', 'resolved']))
    .option('--by <name>', 'who is changing the state (recorded on the timeline)', process.env.USER ?? 'cli')
    .addHelpText('after', `
Examples:
  $ pitcrew incident 12
  $ pitcrew incident 12 --json
  $ pitcrew incident 12 --set acknowledged --by alice`)
    .action(runAction(async (ref: string, options: { json?: boolean; set?: Settable; by: string }) => {
      const config = cliConfig();
      const store = await openStore(config.store);
      try {
        if (options.set) {
          const jobs = new JobQueue(store, systemClock, new LocalNotifier(), config.queue);
          const change = await store.writeTransaction((trx) => transitionIncident(trx, ref, options.set!, options.by, { clock: systemClock, jobs }));
          if (!options.json) console.log(`${mark.ok} incident #${change.incident.number} is now ${change.incident.state}`);
        }
        const repo = new IncidentRepo(store.db);
        const incident = await repo.find(ref);
        if (!incident) throw new PitcrewError('not_found', `No incident "${ref}".`, 'Run `pitcrew incidents` to list incidents and their numbers.');
        const [alerts, timeline] = await Promise.all([repo.alerts(incident.id), repo.timeline(incident.id)]);
        if (options.json) return printJson({ incident, mttaMs: mttaMs(incident), mttrMs: mttrMs(incident), alerts, timeline });
        printIncident(incident, alerts, timeline);
      } finally {
        await store.close();
      }
    }));
}

function printIncident(incident: Incident, alerts: IncidentAlert[], timeline: IncidentEvent[]): void {
  const row = (label: string, value: string) => console.log(`  ${color.dim(pad(label, 14))}${value}`);
  console.log(color.bold(`Incident #${incident.number}  ${incident.title}`));
  row('state', `${stateColor(incident.state)(incident.state)}${incident.flapping ? color.yellow(`  flapping since ${formatTime(incident.flappingSince)} (not notified)`) : ''}`);
  row('severity', incident.severity);
  row('service', incident.service ?? '—');
  row('source', incident.source);
  row('group', incident.groupKey);
  row('opened', formatTime(incident.openedAt));
  row('acknowledged', `${formatTime(incident.acknowledgedAt)}${incident.acknowledgedAt ? color.dim(`  (MTTA ${formatDuration(mttaMs(incident))})`) : ''}`);
  row('mitigating', formatTime(incident.mitigatingAt));
  row('resolved', `${formatTime(incident.resolvedAt)}${incident.resolvedAt ? color.dim(`  (MTTR ${formatDuration(mttrMs(incident))})`) : ''}`);
  if (incident.reopenedCount > 0) row('reopened', `${incident.reopenedCount}×`);
  row('id', incident.id);

  console.log(color.bold(`\nAlerts (${incident.alertsFiring} firing of ${incident.alertsTotal})`));
  for (const alert of alerts) {
    const status = alert.status === 'firing' ? color.red(pad('firing', 10)) : color.green(pad('resolved', 10));
    console.log(`  ${status}${pad(truncate(alert.alertname ?? alert.summary, 32), 34)}${pad(alert.severity, 10)}${color.dim(`fp ${alert.fingerprint.slice(0, 16)}  seen ${alert.seenCount}×  last ${formatTime(alert.lastSeenAt)}`)}`);
    if (alert.alertname && alert.summary !== alert.alertname) console.log(`  ${' '.repeat(10)}${color.dim(truncate(alert.summary, 100))}`);
    for (const link of alert.signal.links) console.log(`  ${' '.repeat(10)}${color.dim(`${link.title}: ${link.url}`)}`);
  }

  console.log(color.bold('\nTimeline'));
  for (const event of timeline) {
    console.log(`  ${color.dim(formatTime(event.at))}  ${pad(event.kind.replace(/_/g, ' '), 18)}${describeEvent(event)}${event.actor !== 'pitcrew' ? color.dim(`  by ${event.actor}`) : ''}`);
  }
}

function describeEvent(event: IncidentEvent): string {
  const d = event.detail as Record<string, unknown>;
  switch (event.kind) {
    case 'opened':
      return `${d.title as string} (${d.severity as string})`;
    case 'alert_added':
    case 'alert_resolved':
    case 'alert_refired':
      return `${(d.alertname as string | null) ?? (d.summary as string)}${d.summary && d.summary !== d.alertname ? color.dim(` — ${truncate(String(d.summary), 60)}`) : ''}`;
    case 'severity_raised':
      return `${d.from as string} → ${d.to as string}`;
    case 'flapping_started':
      return `${d.stateChanges as number} state changes within ${formatDuration(d.windowMs as number)}; notifications paused`;
    case 'flapping_cleared':
      return `quiet for ${formatDuration(d.quietForMs as number)}; notifications resume`;
    case 'resolved':
      return (d.reason as string | undefined) ?? `${d.from as string} → resolved`;
    case 'acknowledged':
    case 'mitigating':
      return `${d.from as string} → ${d.to as string}`;
    case 'reopened':
      return `${d.by as string} fired again`;
    default:
      return '';
  }
}
