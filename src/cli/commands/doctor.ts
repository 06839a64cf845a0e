import { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/config.js';
import { describeFeatures } from '../../config/features.js';
import { readEnvironment } from '../../config/read-environment.js';
import { runCheck, type CheckResult } from '../../ops/doctor/check.js';
import { chromaCheck } from '../../ops/doctor/chroma-check.js';
import { credentialChecks } from '../../ops/doctor/credential-checks.js';
import { inboxCheck } from '../../ops/doctor/inbox-check.js';
import { storeCheck } from '../../ops/doctor/store-check.js';
import { color, mark, printJson } from '../output.js';
import { EXIT, runAction } from '../run-action.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('Check the configuration, the store, Chroma and any credentials that are set; print what is on and off.')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', `
Exit code 0 when everything that is on works, 1 when a check fails, 2 when the configuration is invalid.`)
    .action(runAction(async (options: { json?: boolean }) => {
      let config;
      try {
        config = loadConfig(readEnvironment());
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (options.json) printJson({ config: { status: 'fail', problems: error.problems } });
        else console.log(`${mark.fail} config\n${error.problems.map((p) => `    ${p.variable}: ${p.message}`).join('\n')}`);
        return EXIT.config;
      }
      const checks = [storeCheck(config.store), inboxCheck(config.store), chromaCheck(config.chroma), ...credentialChecks(config)];
      const results: Array<{ name: string } & CheckResult> = [{ name: 'config', status: 'ok', detail: 'all variables valid' }];
      for (const check of checks) {
        if (!options.json) process.stdout.write(color.dim(`… ${check.name}\r`));
        results.push({ name: check.name, ...(await runCheck(check)) });
      }
      const features = describeFeatures(config);
      if (options.json) {
        printJson({ checks: results, features });
      } else {
        for (const r of results) {
          console.log(`${symbol(r.status)} ${r.name.padEnd(8)} ${r.detail}${r.hint ? `\n    ${color.yellow('→')} ${r.hint}` : ''}`);
        }
        console.log(`\n${color.bold('features')}`);
        for (const f of features) console.log(`${f.on ? mark.ok : mark.off} ${f.name.padEnd(11)} ${f.on ? f.detail : color.dim(f.detail)}`);
      }
      return results.some((r) => r.status === 'fail') ? EXIT.failure : EXIT.ok;
    }));
}

function symbol(status: CheckResult['status']): string {
  return { ok: mark.ok, off: mark.off, warn: mark.warn, fail: mark.fail }[status];
}
