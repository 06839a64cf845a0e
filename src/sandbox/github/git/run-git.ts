import { execFile } from 'node:child_process';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

const BASE_ENV = {
  // A fixed, minimal environment: the developer's git config must not change what the fake does.
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LANG: 'C',
  LC_ALL: 'C',
};

/**
 * Runs `git --git-dir=<dir> <args>`; resolves with the exit code instead of
 * throwing, because several plumbing commands report answers through it
 * (`merge-base --is-ancestor`, `merge-tree`, `cat-file -e`).
 */
export function runGit(gitDir: string, args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-c', 'core.quotePath=false', `--git-dir=${gitDir}`, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...BASE_ENV, ...options.env }, maxBuffer: 512 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout, stderr) => {
        // For an exit status, execFile's error.code is the status; otherwise (ENOENT…) a string.
        const status: unknown = error ? (error as { code?: unknown }).code : 0;
        const code = typeof status === 'number' ? status : -1;
        if (error && code === -1) {
          reject(new Error(`git ${args[0]} could not run: ${error.message}`));
          return;
        }
        resolve({ stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), code });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/** Like runGit, but a non-zero exit is an error naming the command and git's message. */
export async function git(gitDir: string, args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<string> {
  const result = await runGit(gitDir, args, options);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Reads a blob as bytes (runGit decodes to text, which would corrupt binary files). */
export function readObjectBytes(gitDir: string, sha: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', [`--git-dir=${gitDir}`, 'cat-file', 'blob', sha], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...BASE_ENV }, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(`git cat-file blob ${sha} failed: ${error.message}`));
      else resolve(stdout);
    });
  });
}
