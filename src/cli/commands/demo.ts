import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { runDemo } from '../../demo/run-demo.js';
import { runAction } from '../run-action.js';

/** pitcrew's own checkout (or installed package): runbooks/, examples/, app.yml, docs/. */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export function demoCommand(): Command {
  return new Command('demo')
    .description('Run the whole loop on this machine against local GitHub, Slack and Kubernetes fakes: alert → thread → fix PR → approve + merge → execute → verify → audit trail.')
    .option('--keep', 'keep the data directory (store, logs, clone) after a successful run')
    .option('--step-timeout <seconds>', 'longest wait for any one step', '30')
    .option('--no-slack', 'show the thread with the plain-text chat stand-in instead of the Slack fake')
    .addHelpText('after', `
Needs no network, no credentials and no Postgres: SQLite, the embedded Chroma and
the fakes in src/sandbox. Exits 0 when the PR was merged, executed, verified and
recorded on the audit branch; 1 otherwise, naming the step that stopped.

Example:
  $ npm run demo`)
    .action(runAction(async (options: { keep?: boolean; stepTimeout: string; slack: boolean }) => {
      const seconds = Number(options.stepTimeout);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--step-timeout must be a positive number of seconds (got "${options.stepTimeout}")`);
      const result = await runDemo({ root: ROOT, out: (line) => process.stdout.write(`${line}\n`), stepTimeoutMs: seconds * 1000, slack: options.slack, ...(options.keep ? { keep: true } : {}) });
      // Exit explicitly: the fakes' keep-alive sockets must not hold a finished demo open.
      process.exit(result.ok ? 0 : 1);
    }));
}
