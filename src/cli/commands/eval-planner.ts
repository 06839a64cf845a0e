import { join } from 'node:path';
import { Command } from 'commander';
import { PitcrewError } from '../../domain/errors.js';
import { redactorFromConfig } from '../../planner/from-config.js';
import { runEvals } from '../../planner/evals/run-evals.js';
import { mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

/** `pitcrew eval planner`: the LLM planner evals in test/evals. */
export function evalPlannerCommand(): Command {
  return new Command('planner')
    .description('Run the planner evals in test/evals: against recorded model responses, or --live against the configured model.')
    .option('--live', 'ask the model configured by PITCREW_LLM instead of replaying recorded responses')
    .option('--dir <dir>', 'eval folders', join(process.cwd(), 'test/evals'))
    .option('--only <name>', 'run one eval folder')
    .option('--json', 'print results as JSON')
    .addHelpText('after', `
Examples:
  $ pitcrew eval planner
  $ PITCREW_LLM=openai OPENAI_API_KEY=… pitcrew eval planner --live`)
    .action(runAction(async (options: { live?: boolean; dir: string; only?: string; json?: boolean }) => {
      const config = cliConfig();
      if (options.live && !config.llm) throw new PitcrewError('config_invalid', '--live needs a model but PITCREW_LLM is none', 'Set PITCREW_LLM=openai (with OPENAI_API_KEY or OPENAI_BASE_URL) or PITCREW_LLM=anthropic (with ANTHROPIC_API_KEY).');
      const results = await runEvals({ dir: options.dir, only: options.only, redactor: redactorFromConfig(config), live: options.live ? config.llm! : undefined, limits: config.planning.llmLimits });
      const passed = results.filter((r) => r.pass).length;
      if (options.json) printJson({ mode: options.live ? 'live' : 'recorded', passed, total: results.length, results });
      else {
        for (const result of results) {
          console.log(`${result.pass ? mark.ok : mark.fail} ${result.name} (${result.planner}, ${result.tokens.input}+${result.tokens.output} tokens, ${result.durationMs} ms)`);
          if (result.error) console.log(`    error: ${result.error}`);
          for (const check of result.checks.filter((c) => !c.pass)) console.log(`    ✗ ${check.name}${check.detail ? `: ${check.detail}` : ''}`);
        }
        console.log(`${passed}/${results.length} passed (${options.live ? `live, ${config.llm!.provider}:${config.llm!.model}` : 'recorded responses'})`);
      }
      return passed === results.length ? 0 : 1;
    }));
}
