import { Command } from 'commander';
import { configCommand } from './commands/config.js';
import { demoCommand } from './commands/demo.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { breakerCommand } from './commands/breaker.js';
import { diagnoseLogCommand } from './commands/diagnose-log.js';
import { doctorCommand } from './commands/doctor.js';
import { evalCommand } from './commands/eval.js';
import { handoffCommand } from './commands/handoff.js';
import { incidentCommand } from './commands/incident.js';
import { incidentsCommand } from './commands/incidents.js';
import { indexCommand } from './commands/index.js';
import { planCommand } from './commands/plan.js';
import { replayCommand } from './commands/replay.js';
import { repoConfigCommand } from './commands/repo-config.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { triageCommand } from './commands/triage.js';

/** The `pitcrew` command tree. One file per command under ./commands, listed in pipeline order. */
export function buildProgram(version: string): Command {
  return new Command('pitcrew')
    .description('ChatOps bot with GitOps remediation: alerts and CI failures in, runbook-grounded fix PRs out.\nNothing runs until a reviewer approves the fix PR and it is merged.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // run and check
    .addCommand(serveCommand())
    .addCommand(doctorCommand())
    .addCommand(configCommand())
    .addCommand(demoCommand())
    // 1 intake
    .addCommand(incidentsCommand())
    .addCommand(incidentCommand())
    .addCommand(triageCommand())
    .addCommand(deadLettersCommand())
    .addCommand(handoffCommand())
    .addCommand(breakerCommand())
    // 2 retrieve
    .addCommand(indexCommand())
    .addCommand(searchCommand())
    // 3 plan
    .addCommand(planCommand())
    .addCommand(replayCommand())
    // CI diagnosis, repo config, quality
    .addCommand(diagnoseLogCommand())
    .addCommand(repoConfigCommand())
    .addCommand(evalCommand());
}
