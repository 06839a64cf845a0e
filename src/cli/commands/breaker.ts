import { Command } from 'commander';
import { systemClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { RepoRef } from '../../domain/action.js';
import { storedBreaker } from '../../store/circuit-breaker.js';
import { ExecutionJournal } from '../../store/execution-journal.js';
import { openStore } from '../../store/store.js';
import { formatTime } from '../format.js';
import { color, mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

/**
 * `pitcrew breaker`: the execution circuit breakers (one per repository).
 * An open breaker stops every merged plan in its repository until a human
 * resets it here; the reset is recorded with who did it.
 */
export function breakerCommand(): Command {
  const command = new Command('breaker').description('Show or reset the execution circuit breakers (N failed executions within a window pause execution in a repository).');
  command
    .command('status', { isDefault: true })
    .description('List repositories whose breaker has opened or been reset')
    .option('--json', 'print as JSON')
    .action(runAction(async (options: { json?: boolean }) => {
      const store = await openStore(cliConfig().store);
      try {
        const states = await storedBreaker(store.db, new ExecutionJournal(store)).all();
        if (options.json) return printJson(states);
        if (states.length === 0) return void console.log(`${mark.ok} no breaker has opened`);
        for (const state of states) {
          const detail = state.open ? `open since ${formatTime(state.openedAt!)}` : `closed${state.resetAt ? ` (reset by ${state.resetBy ?? '?'} at ${formatTime(state.resetAt)})` : ''}`;
          console.log(`${state.open ? mark.fail : mark.ok} ${state.repo}  ${state.open ? color.bold(detail) : detail}`);
        }
      } finally {
        await store.close();
      }
    }));
  command
    .command('reset <repo>')
    .description('Close the breaker of a repository (owner/name): merged plans run again')
    .option('--by <who>', 'who resets it (recorded)', process.env.USER ?? 'cli')
    .action(runAction(async (repo: string, options: { by: string }) => {
      if (!RepoRef.safeParse(repo).success) throw new PitcrewError('input_invalid', `"${repo}" is not a repository`, 'Pass it as owner/name, e.g. pitcrew breaker reset acme/deploy.');
      const store = await openStore(cliConfig().store);
      try {
        await storedBreaker(store.db, new ExecutionJournal(store)).reset(repo, `cli:${options.by}`, systemClock.now());
        console.log(`${mark.ok} breaker of ${repo} reset by ${options.by}; merged plans run again`);
      } finally {
        await store.close();
      }
    }));
  return command;
}
