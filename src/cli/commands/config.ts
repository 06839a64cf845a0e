import { Command } from 'commander';
import { describeFeatures } from '../../config/features.js';
import { renderEnvExample, renderEnvTable } from '../../config/env-example.js';
import { mark, printJson } from '../output.js';
import { cliConfig, runAction } from '../run-action.js';

export function configCommand(): Command {
  return new Command('config')
    .description('Validate the configuration and show what is on; or print every variable with an example.')
    .option('--example', 'print a documented .env.example to stdout')
    .option('--table', 'print the configuration table as markdown (for the README)')
    .option('--json', 'print the resolved, secret-free summary as JSON')
    .addHelpText('after', `
Examples:
  $ pitcrew config                 # validate .env and the environment
  $ pitcrew config --example > .env`)
    .action(runAction(async (options: { example?: boolean; table?: boolean; json?: boolean }) => {
      if (options.example) return void process.stdout.write(renderEnvExample());
      if (options.table) return void process.stdout.write(`${renderEnvTable()}\n`);
      const config = cliConfig();
      const features = describeFeatures(config);
      if (options.json) return printJson({ valid: true, port: config.port, dataDir: config.dataDir, features });
      console.log(`${mark.ok} configuration is valid (port ${config.port}, data dir ${config.dataDir})`);
      for (const f of features) console.log(`${f.on ? mark.ok : mark.off} ${f.name.padEnd(11)} ${f.detail}`);
    }));
}
