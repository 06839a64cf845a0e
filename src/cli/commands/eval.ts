import { Command } from 'commander';
import { evalRetrievalCommand } from './eval-retrieval.js';

/** `pitcrew eval <what>`: offline evaluations against benchmark sets. */
export function evalCommand(): Command {
  return new Command('eval')
    .description('Measure pitcrew against a benchmark set (retrieval).')
    .addCommand(evalRetrievalCommand());
}
