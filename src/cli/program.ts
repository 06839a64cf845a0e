import { Command } from 'commander';
import { configCommand } from './commands/config.js';
import { diagnoseLogCommand } from './commands/diagnose-log.js';
import { doctorCommand } from './commands/doctor.js';
import { evalCommand } from './commands/eval.js';
import { planCommand } from './commands/plan.js';
import { replayCommand } from './commands/replay.js';
import { repoConfigCommand } from './commands/repo-config.js';
import { indexCommand } from './commands/index.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';

/** The `pitcrew` command tree. One file per command under ./commands. */
export function buildProgram(version: string): Command {
  return new Command('pitcrew')
    .description('ChatOps bot with GitOps remediation: alerts and CI failures in, runbook-grounded fix PRs out.\nNothing runs until a reviewer approves the fix PR and it is merged.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(serveCommand())
    .addCommand(doctorCommand())
    .addCommand(configCommand())
    .addCommand(planCommand())
    .addCommand(replayCommand())
    .addCommand(indexCommand())
    .addCommand(searchCommand())
    .addCommand(diagnoseLogCommand())
    .addCommand(evalCommand())
    .addCommand(repoConfigCommand());
}
