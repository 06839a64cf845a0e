import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { PitcrewError } from '../../domain/errors.js';
import { planHash } from '../../domain/plan.js';
import { Signal } from '../../domain/signal.js';
import { plannerDepsFromConfig } from '../../planner/from-config.js';
import { plan } from '../../planner/plan.js';
import { loadPolicy } from '../../planner/policy-file.js';
import { DecisionRepo } from '../../store/decision-repo.js';
import { openStore } from '../../store/store.js';
import { printJson } from '../output.js';
import { renderPlan } from '../plan-output.js';
import { cliConfig, runAction } from '../run-action.js';

function readInput(file: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PitcrewError('input_invalid', `Cannot read ${file}: ${(error as Error).message}`, 'Pass a JSON file holding a PlanningContext ({signal, runbooks, …}) or a Signal.');
  }
  // A bare Signal plans with no retrieval: the abstention plan.
  if (Signal.safeParse(raw).success) return { signal: raw, retrieval: { abstained: true, reason: 'no retrieval was given (a bare signal)' } };
  return raw;
}

export function planCommand(): Command {
  return new Command('plan')
    .description('Plan the remediation for a signal and its retrieval context (offline: no Slack, no GitHub). Records the decision for `pitcrew replay`.')
    .argument('<context.json>', 'a PlanningContext JSON file ({signal, runbooks, similarIncidents, retrieval}) or a bare Signal')
    .option('--json', 'print {plan, planHash, decisionId} as JSON')
    .option('--policy <file>', 'policy YAML (default: PITCREW_POLICY_FILE, else deny by default)')
    .option('--no-llm', 'use the deterministic planner even when PITCREW_LLM is set')
    .option('--no-save', 'do not record the decision in the store')
    .addHelpText('after', `
Examples:
  $ pitcrew plan context.json
  $ pitcrew plan context.json --json --policy docs/policy.example.yml
  $ PITCREW_LLM=openai OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_MODEL=qwen2.5 pitcrew plan context.json`)
    .action(runAction(async (file: string, options: { json?: boolean; policy?: string; llm: boolean; save: boolean }) => {
      const config = cliConfig();
      const deps = plannerDepsFromConfig(config, { useLlm: options.llm, policy: options.policy ? loadPolicy(options.policy) : undefined });
      const outcome = await plan(readInput(file) as never, deps);
      if (options.save) {
        const store = await openStore(config.store);
        try {
          await new DecisionRepo(store.db).save(outcome.decision);
        } finally {
          await store.close();
        }
      }
      if (options.json) return printJson({ plan: outcome.plan, planHash: planHash(outcome.plan), decisionId: options.save ? outcome.decision.id : null });
      process.stdout.write(renderPlan(outcome.plan));
      if (options.save) process.stdout.write(`\ndecision ${outcome.decision.id} (pitcrew replay ${outcome.decision.id})\n`);
    }));
}
