import { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { planHash } from '../../domain/plan.js';
import { plannerDepsFromConfig } from '../../planner/from-config.js';
import { plan } from '../../planner/plan.js';
import { loadPolicy } from '../../planner/policy-file.js';
import { recordedTools } from '../../planner/evals/recorded-tools.js';
import { DecisionRepo } from '../../store/decision-repo.js';
import { openStore } from '../../store/store.js';
import { color } from '../output.js';
import { comparableYaml } from '../plan-output.js';
import { printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

export function replayCommand(): Command {
  return new Command('replay')
    .description('Plan again from a decision\'s stored inputs and show how the plan differs (exit 0: same, 1: different).')
    .argument('[decision-id]', 'the decision to replay (see --list)')
    .option('--list', 'list recent decisions')
    .option('--current-policy', 'judge with the current policy instead of the stored one')
    .option('--no-llm', 'replay with the deterministic planner even when PITCREW_LLM is set')
    .option('--json', 'print {same, before, after, diff} as JSON')
    .addHelpText('after', `
Examples:
  $ pitcrew replay --list
  $ pitcrew replay dec_3f9c0a1b2c3d4e5f
  $ pitcrew replay dec_3f9c0a1b2c3d4e5f --current-policy`)
    .action(runAction(async (id: string | undefined, options: { list?: boolean; currentPolicy?: boolean; llm: boolean; json?: boolean }) => {
      const config = cliConfig();
      const store = await openStore(config.store);
      try {
        const repo = new DecisionRepo(store.db);
        if (options.list || !id) {
          const rows = await repo.listRecent(20);
          if (options.json) return printJson(rows);
          for (const row of rows) console.log(`${row.id}  ${new Date(row.createdAt).toISOString()}  ${row.fingerprint}  ${row.planner}${row.model ? ` ${row.model}` : ''}  risk ${row.risk}`);
          if (rows.length === 0) console.log('no decisions recorded yet (pitcrew plan records one)');
          return;
        }
        const decision = await repo.require(id);
        // LLM decisions replay their recorded tool outputs, so only the model (and prompt) can differ.
        const parse = (text: string): unknown => {
          try {
            return JSON.parse(text);
          } catch {
            return text;
          }
        };
        const tools = recordedTools(decision.attempts.flatMap((a) => a.toolCalls.filter((c) => !c.error).map((c) => ({ name: c.name, args: c.args, output: parse(c.output) }))));
        const policy = options.currentPolicy ? loadPolicy(config.planning.policyFile) : decision.inputs.policy;
        const deps = plannerDepsFromConfig(config, { useLlm: options.llm, policy, tools });
        const again = await plan(decision.inputs.context, deps);
        const before = comparableYaml(decision.plan);
        const after = comparableYaml(again.plan);
        const same = before === after;
        const diff = same ? '' : createTwoFilesPatch(`${decision.id} (${decision.planner})`, `replay (${again.decision.planner})`, before, after);
        if (options.json) {
          printJson({ same, decisionId: decision.id, before: { planHash: decision.planHash }, after: { planHash: planHash(again.plan) }, diff });
        } else if (same) {
          console.log(`${color.green('same')} replaying ${decision.id} gives the same plan (ignoring id and time)`);
        } else {
          console.log(`${color.yellow('different')} replaying ${decision.id} gives a different plan:\n`);
          process.stdout.write(diff);
        }
        return same ? 0 : 1;
      } finally {
        await store.close();
      }
    }));
}
