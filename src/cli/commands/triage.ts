import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ALERT_SOURCE_NAMES, type AlertSourceName } from '../../adapters/alerts/sources.js';
import { systemClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { triage, type TriageReport } from '../../pipeline/triage.js';
import { formatTime, pad, truncate } from '../format.js';
import { color, mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

export function triageCommand(): Command {
  return new Command('triage')
    .description('Run a saved alert payload through intake (and the later stages wired in) offline, and print the result. Uses no Slack, no GitHub and does not touch the store.')
    .argument('<alert.json>', 'an Alertmanager, Grafana, PagerDuty or generic alert body; - reads stdin')
    .addOption(new Option('--source <name>', 'the sender (default: guessed from the payload)').choices(ALERT_SOURCE_NAMES))
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Grouping uses the same PITCREW_INCIDENT_* settings as the service.

Examples:
  $ pitcrew triage alert.json
  $ pitcrew triage --source generic - <<< '{"title": "disk full", "service": "db"}'
  $ pitcrew triage alertmanager-body.json --json`)
    .action(runAction(async (file: string, options: { source?: AlertSourceName; json?: boolean }) => {
      const config = cliConfig();
      const text = readInput(file);
      const report = await triage(text, { origin: file === '-' ? 'stdin' : file, source: options.source, policy: config.incidents, clock: systemClock });
      if (options.json) return printJson(report);
      printReport(report);
    }));
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PitcrewError('input_invalid', `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, 'Pass the path of a saved alert payload (JSON), or - to read stdin.');
  }
}

function printReport(report: TriageReport): void {
  const { intake } = report;
  console.log(color.bold('1. intake'));
  console.log(`  source     ${intake.source}${intake.detected ? color.dim(' (guessed from the payload; --source to override)') : ''}`);
  if (intake.ignored) {
    console.log(`  ${mark.off} ignored: ${intake.ignored}`);
  } else {
    console.log(`  signals    ${intake.signals.length}`);
    for (const [i, outcome] of intake.outcomes.entries()) {
      const s = outcome.signal;
      const status = s.status === 'firing' ? color.red(s.status) : color.green(s.status);
      console.log(`  ${color.dim(`[${i + 1}]`)} ${status} ${color.bold(s.alertname ?? s.summary)}  ${s.severity}${s.service ? `  service ${s.service}` : ''}  ${color.dim(`fp ${s.fingerprint.slice(0, 16)}`)}`);
      if (s.alertname && s.summary !== s.alertname) console.log(`      ${truncate(s.summary, 100)}`);
      if (s.startsAt) console.log(`      ${color.dim(`since ${formatTime(s.startsAt)}`)}`);
      for (const link of s.links) console.log(`      ${color.dim(`${link.title}: ${link.url}`)}`);
      console.log(`      → ${describeOutcome(outcome.result, outcome.incidentNumber)}`);
    }
    console.log(`  incidents  ${intake.incidents.length}`);
    for (const { incident, alerts } of intake.incidents) {
      console.log(`  ${color.bold(`#${incident.number}`)} ${pad(incident.state, 9)} ${incident.severity}  ${incident.title}`);
      console.log(`      ${color.dim(`group ${incident.groupKey}; ${alerts.length} alert${alerts.length === 1 ? '' : 's'}, ${incident.alertsFiring} firing`)}`);
    }
  }
  for (const [i, stage] of report.stages.entries()) {
    console.log(color.bold(`${i + 2}. ${stage.name}`));
    const symbol = stage.status === 'ok' ? mark.ok : stage.status === 'failed' ? mark.fail : mark.off;
    console.log(`  ${symbol} ${stage.status === 'not_available' ? color.dim(stage.summary) : stage.summary}`);
  }
}

function describeOutcome(result: string, incident: number | undefined): string {
  switch (result) {
    case 'new_incident':
      return `opens incident #${incident}`;
    case 'joined':
      return `joins incident #${incident}`;
    case 'duplicate':
      return `duplicate of an alert already in incident #${incident} (dropped)`;
    case 'unknown_resolved':
      return 'resolves an alert that was never seen firing (nothing to do)';
    default:
      return `${result.replace(/_/g, ' ')} in incident #${incident}`;
  }
}
