import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { AlertmanagerAlert, AlertmanagerWebhook, alertmanagerAlertToSignal } from '../../adapters/alerts/alertmanager.js';
import { PitcrewError } from '../../domain/errors.js';
import type { RetrievalResult } from '../../domain/retrieval.js';
import { signalFromText, type Signal } from '../../domain/signal.js';
import { createLogger } from '../../ops/logger.js';
import { color, printJson } from '../output.js';
import { renderRetrieval } from '../retrieval-output.js';
import { withKnowledge } from '../knowledge-session.js';
import { cliConfig, runAction } from '../run-action.js';

interface SearchOptions {
  alert?: string;
  limit: string;
  service?: string[];
  json?: boolean;
}

export function searchCommand(): Command {
  return new Command('search')
    .description('Search runbooks, past incidents and CI failures the way the service does for an alert; print ranked results, scores and the route that found each.')
    .argument('[text]', 'free text, or an alert name (one word: also routed exactly on names)')
    .option('--alert <file>', 'an Alertmanager webhook body or a single alert ({labels, annotations}) as JSON')
    .addOption(new Option('--limit <n>', 'how many runbooks to show').default('5'))
    .option('--service <name...>', 'only runbooks that declare one of these services')
    .option('--json', 'print the retrieval result as JSON')
    .addHelpText('after', `
Runbooks are indexed incrementally first (unchanged files cost nothing).

Routes: exact (alert name = declared alert, file name or heading), mention (the
text names the alert), lexical (BM25 over sections), title (BM25 over titles and
alert names), vector (Chroma), service (declared service boost). When no runbook
is named after the alert and the best one covers too little of the alert text,
the answer is "no matching runbook", with the scores.

Examples:
  $ pitcrew search "pod keeps restarting with CrashLoopBackOff"
  $ pitcrew search KubePodCrashLooping
  $ pitcrew search --alert alert.json --json`)
    .action(runAction(async (text: string | undefined, options: SearchOptions) => {
      const signals = options.alert ? signalsFromFile(options.alert) : text ? [signalFromText(text)] : [];
      if (signals.length === 0) throw new PitcrewError('input_invalid', 'Nothing to search for.', 'Pass text, e.g. `pitcrew search "disk full"`, or --alert file.json.');
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new PitcrewError('input_invalid', `--limit ${options.limit} is not a positive whole number.`, 'Pass for example --limit 5.');
      const config = cliConfig();
      const status = (message: string) => process.stderr.write(`${color.dim(message)}\n`);
      const results = await withKnowledge(config, { status, log: createLogger('silent') }, async (knowledge) => {
        const summary = await knowledge.indexRunbooks();
        if (summary.added + summary.updated + summary.removed > 0) status(`index updated: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed`);
        for (const problem of summary.skipped) status(`skipped ${problem.file}:${problem.line}: ${problem.message}`);
        const out: RetrievalResult[] = [];
        for (const signal of signals) out.push(await knowledge.retriever.retrieve({ signal, limit, services: options.service }));
        return out;
      });
      if (options.json) {
        printJson(results.length === 1 ? results[0] : results);
        return;
      }
      results.forEach((result, i) => process.stdout.write(`${renderRetrieval(signals[i]!, result)}\n`));
    }));
}


function signalsFromFile(file: string): Signal[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PitcrewError('input_invalid', `Cannot read an alert from ${file}: ${(error as Error).message}`, 'Pass a JSON file holding an Alertmanager webhook body or one alert with labels and annotations.');
  }
  if (raw && typeof raw === 'object' && 'alerts' in raw) {
    const parsed = AlertmanagerWebhook.safeParse(raw);
    if (!parsed.success) throw invalid(file, parsed.error.issues[0]!);
    return parsed.data.alerts.map((alert) => alertmanagerAlertToSignal(alert, { groupKey: parsed.data.groupKey }));
  }
  const parsed = AlertmanagerAlert.safeParse(raw);
  if (!parsed.success) throw invalid(file, parsed.error.issues[0]!);
  return [alertmanagerAlertToSignal(parsed.data)];
}

function invalid(file: string, issue: { path: PropertyKey[]; message: string }): PitcrewError {
  return new PitcrewError('input_invalid', `${file}: ${issue.path.map(String).join('.') || 'alert'}: ${issue.message}`, 'Expected an Alertmanager webhook body ({alerts: [...]}) or one alert ({labels, annotations}).');
}
