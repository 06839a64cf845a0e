import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { repoConfigJsonSchemaText } from '../../config/repo-config/json-schema.js';
import { describeProblem, parseRepoConfig } from '../../config/repo-config/parse.js';
import { REPO_CONFIG_PATH, approversFor } from '../../config/repo-config/schema.js';
import { PitcrewError } from '../../domain/errors.js';
import { mark, printJson } from '../output.js';
import { EXIT, runAction } from '../run-action.js';

/** `pitcrew repo-config`: check a `.github/pitcrew.yml` locally, or print its JSON Schema. */
export function repoConfigCommand(): Command {
  const command = new Command('repo-config')
    .description(`Check a repository's ${REPO_CONFIG_PATH} the way the GitHub App reads it, or print its JSON Schema.`)
    .addHelpText('after', `
Examples:
  $ pitcrew repo-config check                       # ./${REPO_CONFIG_PATH}
  $ pitcrew repo-config check path/to/pitcrew.yml --json
  $ pitcrew repo-config schema > docs/pitcrew.schema.json`);

  command
    .command('check')
    .description('Validate the file; print every problem with its line and the fix. Exit 1 when it is invalid.')
    .argument('[file]', 'the file to check', REPO_CONFIG_PATH)
    .option('--json', 'print the result as JSON')
    .action(runAction(async (file: string, options: { json?: boolean }) => {
      if (!existsSync(file)) throw new PitcrewError('not_found', `${file} does not exist`, `Run it from the repository root, or pass the path of the file (default ${REPO_CONFIG_PATH}).`);
      const result = parseRepoConfig(readFileSync(file, 'utf8'));
      if (options.json) {
        printJson(result.ok ? { valid: true, config: result.config } : { valid: false, problems: result.problems });
        return result.ok ? EXIT.ok : EXIT.failure;
      }
      if (!result.ok) {
        console.log(`${mark.fail} ${file} is invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}); nothing runs while it is:`);
        for (const problem of result.problems) console.log(`  ${describeProblem(problem, file)}`);
        return EXIT.failure;
      }
      const { config } = result;
      console.log(`${mark.ok} ${file} is valid`);
      for (const risk of ['low', 'medium', 'high'] as const) {
        const approvers = approversFor(config, risk);
        console.log(`  ${risk.padEnd(6)} ${config.requiredApprovals[risk]} approval(s) from ${approvers.length > 0 ? approvers.join(', ') : 'nobody (cannot be approved)'}`);
      }
      console.log(`  codeowners ${config.codeowners ? 'honoured' : 'ignored'} · paused ${config.paused} · ${config.executionWindows.length} execution window(s) · breaker ${config.breaker.failures} failures / ${config.breaker.windowMinutes} min · audit branch ${config.auditBranch}`);
      return EXIT.ok;
    }));

  command
    .command('schema')
    .description('Print the JSON Schema of the file, for editors (committed as docs/pitcrew.schema.json).')
    .action(runAction(async () => {
      process.stdout.write(repoConfigJsonSchemaText());
    }));
  return command;
}
