import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { readEnvironment } from '../config/read-environment.js';
import { isPitcrewError, wrapUnknown } from '../domain/errors.js';
import { color } from './output.js';

/** Exit codes: 0 ok, 1 failure, 2 invalid configuration or usage. */
export const EXIT = { ok: 0, failure: 1, config: 2 } as const;

/** Reads .env + environment and validates it; every command that needs config calls this. */
export function cliConfig(): Config {
  return loadConfig(readEnvironment());
}

/**
 * Wraps a command action: errors become one clear message (with the hint that
 * says what to do) and the right exit code, never a stack trace.
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      const known = wrapUnknown(error, 'pitcrew failed');
      process.stderr.write(`${color.red('error')} ${known.describe()}\n`);
      if (!isPitcrewError(error) && process.env.PITCREW_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = error instanceof ConfigError ? EXIT.config : EXIT.failure;
    }
  };
}
