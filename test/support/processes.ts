import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after } from 'node:test';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** `--import` value that loads TypeScript through tsx, from any working directory. */
export const TSX = import.meta.resolve('tsx');

/** node arguments that run a TypeScript file of this repo. */
export function tsNode(file: string, ...args: string[]): string[] {
  return ['--import', TSX, resolve(repoRoot, file), ...args];
}

export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr interleaved, as a terminal shows them. */
  output(): string;
  /** stdout alone (what `--json` output is parsed from). */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the pitcrew CLI from source (through tsx), so tests exercise the code
 * under test rather than a stale dist/. The environment is minimal and explicit:
 * nothing from the developer's shell or .env leaks in.
 */
export function spawnCli(args: string[], options: { env?: Record<string, string>; cwd: string }): Spawned {
  const child = spawn(process.execPath, tsNode('src/cli/main.ts', ...args), {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })));
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => text, stdout: () => stdout, exited };
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: { env?: Record<string, string>; cwd: string }): Promise<{ code: number | null; output: string; stdout: string }> {
  const spawned = spawnCli(args, options);
  const { code } = await spawned.exited;
  return { code, output: spawned.output(), stdout: spawned.stdout() };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** pids of running `chroma run` processes whose command line mentions `dataDir`. */
export function chromaPidsFor(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('cli.mjs') && cmdline.includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}
