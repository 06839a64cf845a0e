import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { systemClock } from '../domain/clock.js';
import { chromaHeartbeat } from '../knowledge/chroma/client.js';
import { EmbeddedChroma } from '../knowledge/chroma/embedded-server.js';
import { createEmbeddingModel } from '../knowledge/embeddings/create-embeddings.js';
import { openKnowledge, type Knowledge } from '../knowledge/knowledge.js';
import { silentLogger, type Logger } from '../ops/logger.js';

/**
 * Chroma and the knowledge module for one CLI command:
 * - `CHROMA_URL` set: that server;
 * - the service is running on this data dir: its embedded server (found by
 *   pid file and heartbeat), never a second one on the same files;
 * - otherwise: an embedded server on the data dir (or, with `scratch`, on a
 *   temporary dir removed afterwards), stopped when the command ends.
 */
export interface KnowledgeSessionOptions {
  /** Index into a throwaway Chroma (the eval: runbooks indexed from scratch). */
  scratch?: boolean;
  /** Abstention threshold override. */
  minEvidence?: number;
  log?: Logger;
  /** Status lines for humans (stderr), e.g. "starting Chroma…". */
  status?: (message: string) => void;
}

export async function withKnowledge<T>(config: Config, options: KnowledgeSessionOptions, use: (knowledge: Knowledge) => Promise<T>): Promise<T> {
  const log = options.log ?? silentLogger();
  const status = options.status ?? (() => {});
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    const url = await chromaUrl(config, options.scratch === true, log, status, cleanups);
    const knowledge = await openKnowledge({
      chromaUrl: url,
      embedding: createEmbeddingModel(config.knowledge.embeddings),
      runbookDirs: config.knowledge.runbookDirs,
      minEvidence: options.minEvidence ?? config.knowledge.minEvidence,
      log,
      clock: systemClock,
    });
    return await use(knowledge);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function chromaUrl(config: Config, scratch: boolean, log: Logger, status: (message: string) => void, cleanups: Array<() => Promise<void> | void>): Promise<string> {
  if (config.chroma.kind === 'remote' && !scratch) return config.chroma.url;
  let dataDir: string;
  if (scratch) {
    dataDir = mkdtempSync(join(tmpdir(), 'pitcrew-chroma-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  } else {
    dataDir = config.chroma.kind === 'embedded' ? config.chroma.dataDir : '';
    const running = await runningServer(dataDir);
    if (running) return running;
  }
  status('starting the embedded Chroma server…');
  const server = new EmbeddedChroma({ dataDir, port: 0, log });
  await server.start();
  cleanups.push(() => server.stop());
  return server.url;
}

/** The URL of the service's embedded Chroma on this data dir, when it is up. */
async function runningServer(dataDir: string): Promise<string | undefined> {
  const pidFile = join(dataDir, 'server.pid');
  if (!existsSync(pidFile)) return undefined;
  try {
    const { port } = JSON.parse(readFileSync(pidFile, 'utf8')) as { port: number };
    const url = `http://127.0.0.1:${port}`;
    return (await chromaHeartbeat(url, 1_000)) ? url : undefined;
  } catch {
    return undefined;
  }
}
