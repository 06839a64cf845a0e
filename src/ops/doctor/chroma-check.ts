import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChromaConfig } from '../../config/config.js';
import { chromaHeartbeat } from '../../knowledge/chroma/client.js';
import { EmbeddedChroma } from '../../knowledge/chroma/embedded-server.js';
import { silentLogger } from '../logger.js';
import type { DoctorCheck } from './check.js';

/**
 * Remote: the heartbeat answers. Embedded: if the service runs, its server
 * answers; otherwise a throwaway server starts in a temp dir and answers.
 */
export function chromaCheck(config: ChromaConfig): DoctorCheck {
  return {
    name: 'chroma',
    async run() {
      if (config.kind === 'remote') {
        return (await chromaHeartbeat(config.url, 3_000))
          ? { status: 'ok', detail: `remote server ${config.url} answers` }
          : { status: 'fail', detail: `remote server ${config.url} does not answer its heartbeat`, hint: 'Check CHROMA_URL, or unset it to use the embedded server.' };
      }
      const pidFile = join(config.dataDir, 'server.pid');
      if (existsSync(pidFile)) {
        const { port, pid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { port: number; pid: number };
        if (await chromaHeartbeat(`http://127.0.0.1:${port}`, 2_000)) return { status: 'ok', detail: `embedded server running (pid ${pid}, port ${port})` };
      }
      const scratch = mkdtempSync(join(tmpdir(), 'pitcrew-doctor-chroma-'));
      const server = new EmbeddedChroma({ dataDir: scratch, port: 0, log: silentLogger() });
      try {
        const started = Date.now();
        await server.start();
        return { status: 'ok', detail: `embedded server binary works (started a test server in ${Date.now() - started} ms); the service starts its own` };
      } finally {
        await server.stop();
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
