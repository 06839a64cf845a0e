import { Command } from 'commander';
import { evalCiLogsCommand } from './eval-ci-logs.js';
import { evalPlannerCommand } from './eval-planner.js';
import { evalRetrievalCommand } from './eval-retrieval.js';

/** `pitcrew eval <what>`: offline quality measurements against labelled sets and recorded evals. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('Measure pitcrew offline: retrieval and CI-log diagnosis on benchmark sets, the planner on recorded evals.')
    .addCommand(evalRetrievalCommand())
    .addCommand(evalCiLogsCommand())
    .addCommand(evalPlannerCommand());
}
