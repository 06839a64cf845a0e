import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { PitcrewError } from '../../domain/errors.js';
import type { Logger } from '../../ops/logger.js';
import { chromaHeartbeat } from './client.js';

/**
 * Supervises the Chroma server bundled in the `chromadb` package
 * (`chroma run --path DIR --port N`) as a child process:
 *
 * 1. recover an orphan left by a previous `kill -9` (pid file in the data dir),
 * 2. pick or check the port,
 * 3. spawn, with output appended to chroma.log (never a pipe, so an orphan
 *    does not die of a broken pipe and its last words are kept),
 * 4. wait for the heartbeat,
 * 5. restart it with backoff if it dies, until stop() is called.
 *
 * A child process, not a worker thread: terminating the thread hangs.
 */
export interface EmbeddedChromaOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
  startTimeoutMs?: number;
  /** Give up restarting after this many deaths within a minute. */
  maxRestartsPerMinute?: number;
}

interface PidFile {
  pid: number;
  port: number;
  dataDir: string;
  startedAt: string;
}

const require = createRequire(import.meta.url);

export class EmbeddedChroma {
  private child: ChildProcess | undefined;
  private port = 0;
  private stopping = false;
  private restarts: number[] = [];
  private readonly pidFile: string;
  private readonly logFile: string;

  constructor(private readonly options: EmbeddedChromaOptions) {
    this.pidFile = join(options.dataDir, 'server.pid');
    this.logFile = join(options.dataDir, 'chroma.log');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    await this.recoverOrphan();
    const cli = resolveChromaCli();
    const autoPort = this.options.port === 0;
    for (let attempt = 1; ; attempt++) {
      this.port = autoPort ? await findFreePort() : await assertPortFree(this.options.port);
      try {
        await this.spawnAndWait(cli);
        return;
      } catch (error) {
        // A free port picked at random can be taken before Chroma binds it; try another.
        const raced = autoPort && attempt < 3 && /address already in use|AddrInUse/i.test((error as Error).message);
        if (!raced) throw error;
      }
    }
  }

  /** True when the server answers its heartbeat. */
  async ready(): Promise<boolean> {
    return this.child !== undefined && (await chromaHeartbeat(this.url, 1_000));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child) await terminate(child, 5_000);
    this.child = undefined;
    rmSync(this.pidFile, { force: true });
  }

  private async spawnAndWait(cli: string): Promise<void> {
    const { dataDir, log } = this.options;
    const logFd = openSync(this.logFile, 'a');
    const logOffset = statSync(this.logFile).size;
    const child = spawn(process.execPath, [cli, 'run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(this.port)], {
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, NO_COLOR: '1' },
    });
    closeSync(logFd);
    this.child = child;
    const pidFile: PidFile = { pid: child.pid!, port: this.port, dataDir, startedAt: new Date().toISOString() };
    writeFileSync(this.pidFile, JSON.stringify(pidFile));

    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      if (this.child === child) this.onUnexpectedExit(code, signal);
    });

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 20_000);
    while (Date.now() < deadline) {
      if (exited) throw this.startFailure(`exited with ${exited.signal ?? `code ${exited.code}`}`, logOffset);
      if (await chromaHeartbeat(this.url, 500)) {
        log.info({ pid: child.pid, port: this.port, dataDir }, 'embedded chroma ready');
        return;
      }
      await sleep(50);
    }
    this.child = undefined;
    await terminate(child, 2_000);
    throw this.startFailure('did not answer its heartbeat in time', logOffset);
  }

  private startFailure(what: string, logOffset: number): PitcrewError {
    const tail = readTail(this.logFile, logOffset);
    if (/Cannot find module 'chromadb-js-bindings|GLIBC_|cannot open shared object/i.test(tail)) {
      return new PitcrewError('chroma_binary_missing', `The embedded Chroma server could not load its native binding: ${lastLine(tail)}`,
        'Run `npm ci` so chromadb-js-bindings-* is installed (package.json pins a build that runs on glibc 2.36), or set CHROMA_URL to a Chroma server you run yourself.');
    }
    if (/address already in use|AddrInUse/i.test(tail)) {
      return new PitcrewError('chroma_port_in_use', `The embedded Chroma server could not bind port ${this.port}: address already in use.`,
        'Set PITCREW_CHROMA_PORT to a free port, or to 0 to pick one automatically.');
    }
    return new PitcrewError('chroma_start_failed', `The embedded Chroma server ${what} (port ${this.port}). Last output:\n${tail.trim().split('\n').slice(-10).join('\n')}`,
      `See ${this.logFile}. Set CHROMA_URL to use an external Chroma server instead.`);
  }

  private onUnexpectedExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.child = undefined;
    if (this.stopping) return;
    const { log } = this.options;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= (this.options.maxRestartsPerMinute ?? 5)) {
      log.error({ code, signal, logFile: this.logFile }, 'embedded chroma keeps dying; not restarting it (readyz will fail)');
      return;
    }
    this.restarts.push(now);
    const delayMs = 250 * 2 ** (this.restarts.length - 1);
    log.warn({ code, signal, delayMs }, 'embedded chroma exited; restarting it');
    setTimeout(() => {
      if (this.stopping) return;
      this.spawnAndWait(resolveChromaCli()).catch((error: Error) => log.error({ err: error.message }, 'embedded chroma restart failed'));
    }, delayMs).unref();
  }

  /** A previous run killed with -9 leaves its Chroma running on our data dir. Stop it. */
  private async recoverOrphan(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    let previous: PidFile | undefined;
    try {
      previous = JSON.parse(readFileSync(this.pidFile, 'utf8')) as PidFile;
    } catch {
      // unreadable pid file: nothing to recover
    }
    if (previous && isOurChroma(previous.pid, this.options.dataDir)) {
      this.options.log.warn({ pid: previous.pid, port: previous.port }, 'found an orphaned embedded chroma from a previous run; stopping it');
      await terminatePid(previous.pid, 5_000);
    }
    rmSync(this.pidFile, { force: true });
  }
}

/** The `chroma` bin of the chromadb package (its exports do not include package.json, so walk up from the entry). */
function resolveChromaCli(): string {
  try {
    let dir = dirname(require.resolve('chromadb'));
    while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "chromadb"')) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('package root not found');
      dir = parent;
    }
    return join(dir, 'dist', 'cli.mjs');
  } catch {
    throw new PitcrewError('chroma_binary_missing', 'The chromadb package is not installed, so the embedded Chroma server cannot start.',
      'Run `npm ci`, or set CHROMA_URL to a Chroma server you run yourself.');
  }
}

/** True when `pid` is alive and is a `chroma run` on this data dir (pids get reused). */
function isOurChroma(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((arg) => arg.endsWith('cli.mjs')) && cmdline.includes(dataDir);
  } catch {
    return false; // no /proc (macOS): do not kill what we cannot identify
  }
}

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function terminatePid(pid: number, graceMs: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(50);
  if (alive()) process.kill(pid, 'SIGKILL');
  while (alive()) await sleep(20);
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function assertPortFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE'
        ? new PitcrewError('chroma_port_in_use', `PITCREW_CHROMA_PORT=${port} is already in use by another process, so the embedded Chroma server cannot start.`,
          'Set PITCREW_CHROMA_PORT to a free port, or to 0 to pick one automatically. If a Chroma server already runs there, set CHROMA_URL to use it.')
        : error));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(port)));
  });
}

function readTail(file: string, fromOffset: number): string {
  try {
    return stripVTControlCharacters(readFileSync(file).subarray(fromOffset).toString('utf8'));
  } catch {
    return '';
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
