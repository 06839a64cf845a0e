import { Command, Option } from 'commander';
import { systemClock } from '../../domain/clock.js';
import { IncidentState, type Incident } from '../../domain/incident.js';
import { IncidentRepo } from '../../store/incident-repo.js';
import { openStore } from '../../store/store.js';
import { ago, pad, truncate } from '../format.js';
import { color, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

export function incidentsCommand(): Command {
  return new Command('incidents')
    .description('List incidents, newest first. Works against the same store while the service runs.')
    .addOption(new Option('--state <state>', 'only this state; "active" is everything not resolved').choices([...IncidentState.options, 'active']))
    .option('--limit <n>', 'at most this many', (value) => Number.parseInt(value, 10), 50)
    .option('--json', 'print the incidents as JSON')
    .addHelpText('after', `
Examples:
  $ pitcrew incidents
  $ pitcrew incidents --state active
  $ pitcrew incidents --json | jq '.[] | select(.flapping)'`)
    .action(runAction(async (options: { state?: IncidentState | 'active'; limit: number; json?: boolean }) => {
      const config = cliConfig();
      const store = await openStore(config.store);
      try {
        const incidents = await new IncidentRepo(store.db).list({ state: options.state, limit: options.limit });
        if (options.json) return printJson(incidents);
        if (incidents.length === 0) return void console.log(color.dim(`No incidents${options.state ? ` in state ${options.state}` : ''}.`));
        printTable(incidents, systemClock.now());
      } finally {
        await store.close();
      }
    }));
}

export function stateColor(state: Incident['state']): (text: string) => string {
  return { open: color.red, acknowledged: color.yellow, mitigating: color.yellow, resolved: color.green }[state];
}

function printTable(incidents: Incident[], now: number): void {
  console.log(color.bold(`${pad('#', 6)}${pad('STATE', 14)}${pad('SEVERITY', 10)}${pad('SERVICE', 16)}${pad('ALERTS', 9)}${pad('OPENED', 14)}TITLE`));
  for (const incident of incidents) {
    const flags = incident.flapping ? color.yellow(' [flapping]') : '';
    console.log([
      pad(String(incident.number), 6),
      stateColor(incident.state)(pad(incident.state, 14)),
      pad(incident.severity, 10),
      pad(truncate(incident.service ?? '—', 15), 16),
      pad(`${incident.alertsFiring}/${incident.alertsTotal}`, 9),
      pad(ago(incident.openedAt, now), 14),
      truncate(incident.title, 70),
      flags,
    ].join(''));
  }
}
