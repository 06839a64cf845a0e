import { Command } from 'commander';
import { configCommand } from './commands/config.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { doctorCommand } from './commands/doctor.js';
import { incidentCommand } from './commands/incident.js';
import { incidentsCommand } from './commands/incidents.js';
import { serveCommand } from './commands/serve.js';
import { triageCommand } from './commands/triage.js';

/** The `pitcrew` command tree. One file per command under ./commands. */
export function buildProgram(version: string): Command {
  return new Command('pitcrew')
    .description('ChatOps bot with GitOps remediation: alerts and CI failures in, runbook-grounded fix PRs out.\nNothing runs until a reviewer approves the fix PR and it is merged.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(serveCommand())
    .addCommand(doctorCommand())
    .addCommand(configCommand())
    .addCommand(incidentsCommand())
    .addCommand(incidentCommand())
    .addCommand(deadLettersCommand())
    .addCommand(triageCommand());
}
