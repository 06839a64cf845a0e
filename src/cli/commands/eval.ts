import { Command } from 'commander';
import { evalPlannerCommand } from './eval-planner.js';
import { evalRetrievalCommand } from './eval-retrieval.js';

/** `pitcrew eval <what>`: offline evaluations against benchmark sets and recorded evals. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('Measure pitcrew against a benchmark set (retrieval) or the recorded planner evals (planner).')
    .addCommand(evalRetrievalCommand())
    .addCommand(evalPlannerCommand());
}
