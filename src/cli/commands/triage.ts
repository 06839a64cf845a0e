import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ALERT_SOURCE_NAMES, type AlertSourceName } from '../../adapters/alerts/sources.js';
import { systemClock } from '../../domain/clock.js';
import { isPitcrewError, PitcrewError } from '../../domain/errors.js';
import type { Config } from '../../config/config.js';
import type { RetrievalResult } from '../../domain/retrieval.js';
import type { Signal } from '../../domain/signal.js';
import type { Knowledge } from '../../knowledge/knowledge.js';
import { createLogger } from '../../ops/logger.js';
import { toPlanningContext } from '../../pipeline/planning-context.js';
import { triage, type TriagePorts, type TriageReport } from '../../pipeline/triage.js';
import { plannerDepsFromConfig } from '../../planner/from-config.js';
import { plan } from '../../planner/plan.js';
import { loadPolicy } from '../../planner/policy-file.js';
import { withKnowledge } from '../knowledge-session.js';
import { renderPlan } from '../plan-output.js';
import { renderRetrieval } from '../retrieval-output.js';
import { formatTime, pad, truncate } from '../format.js';
import { color, mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

export function triageCommand(): Command {
  return new Command('triage')
    .description('Run a saved alert payload through intake, retrieval and planning offline, and print the result. Uses no Slack and no GitHub, stores nothing and opens nothing.')
    .argument('<alert.json>', 'an Alertmanager, Grafana, PagerDuty or generic alert body; - reads stdin')
    .addOption(new Option('--source <name>', 'the sender (default: guessed from the payload)').choices(ALERT_SOURCE_NAMES))
    .option('--json', 'print the report as JSON')
    .option('--policy <file>', 'planning policy YAML (default: PITCREW_POLICY_FILE; without one, plans hold human steps only)')
    .option('--no-llm', 'plan with the deterministic runbook planner even when PITCREW_LLM is set')
    .option('--no-retrieve', 'stop after intake (no Chroma needed)')
    .option('--no-plan', 'stop after retrieval')
    .addHelpText('after', `
The same code as the service: grouping uses the PITCREW_INCIDENT_* settings,
runbooks are indexed incrementally first (unchanged files cost nothing), and each
incident is planned from its first firing alert.

Examples:
  $ pitcrew triage alert.json
  $ pitcrew triage alert.json --policy docs/policy.example.yml --json
  $ pitcrew triage --source generic - <<< '{"title": "disk full", "service": "db"}'`)
    .action(runAction(async (file: string, options: TriageCliOptions) => {
      const config = cliConfig();
      const text = readInput(file);
      const run = (ports?: TriagePorts) => triage(text, { origin: file === '-' ? 'stdin' : file, source: options.source, policy: config.incidents, clock: systemClock, ports });
      const report = options.retrieve ? await withKnowledge(config, { status, log: createLogger('silent') }, async (knowledge) => {
        await indexFirst(knowledge);
        return run(triagePorts(config, knowledge, options));
      }) : await run();
      if (options.json) return printJson(report);
      printReport(report);
    }));
}

interface TriageCliOptions {
  source?: AlertSourceName;
  json?: boolean;
  policy?: string;
  llm: boolean;
  retrieve: boolean;
  plan: boolean;
}

const status = (message: string) => process.stderr.write(`${color.dim(message)}\n`);

/** Brings the runbook index up to date; with no runbook directory, says so and searches what is indexed (past incidents, CI failures). */
async function indexFirst(knowledge: Knowledge): Promise<void> {
  const summary = await knowledge.indexRunbooks().catch((error: unknown) => {
    if (!isPitcrewError(error, 'input_invalid')) throw error;
    status(`no runbooks indexed: ${(error as Error).message}`);
    return null;
  });
  if (!summary) return;
  if (summary.added + summary.updated + summary.removed > 0) status(`runbook index updated: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed`);
  for (const problem of summary.skipped) status(`skipped ${problem.file}:${problem.line}: ${problem.message}`);
}

function triagePorts(config: Config, knowledge: Knowledge, options: TriageCliOptions): TriagePorts {
  const planner = plannerDepsFromConfig(config, { useLlm: options.llm, ...(options.policy ? { policy: loadPolicy(options.policy) } : {}) });
  return {
    retrieve: (signal) => knowledge.retriever.retrieve({ signal }),
    ...(options.plan ? { plan: (signal: Signal, retrieval: RetrievalResult) => plan(toPlanningContext(signal, retrieval), planner) } : {}),
  };
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
  for (const response of report.responses) {
    console.log(color.bold(`2. retrieve`) + color.dim(`  for incident #${response.incidentNumber}`));
    if (response.retrieval) process.stdout.write(indent(renderRetrieval(response.signal, response.retrieval)));
    if (response.plan) {
      console.log(color.bold('3. plan'));
      process.stdout.write(indent(renderPlan(response.plan)));
    }
    if (response.failed) console.log(`  ${mark.fail} ${response.failed.stage} failed: ${response.failed.message}`);
  }
  for (const stage of report.skipped) console.log(color.dim(`${stage === 'retrieve' ? '2. retrieve' : '3. plan'}: skipped (--no-${stage})`));
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
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
