import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';

/**
 * The raw environment: `.env` in the working directory (if any) under the
 * real process environment, which wins. process.env is not modified.
 */
export function readEnvironment(cwd = process.cwd(), processEnv: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = join(cwd, '.env');
  const fromFile = existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
  return { ...fromFile, ...processEnv };
}
