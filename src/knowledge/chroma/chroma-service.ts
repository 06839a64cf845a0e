import type { ChromaConfig } from '../../config/config.js';
import type { Logger } from '../../ops/logger.js';
import { chromaHeartbeat } from './client.js';
import { EmbeddedChroma } from './embedded-server.js';

/** The Chroma server pitcrew talks to: embedded (supervised child) or remote. */
export interface ChromaService {
  url: string;
  kind: ChromaConfig['kind'];
  ready(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startChroma(config: ChromaConfig, log: Logger): Promise<ChromaService> {
  if (config.kind === 'remote') {
    log.info({ url: config.url }, 'using remote chroma');
    return { url: config.url, kind: 'remote', ready: () => chromaHeartbeat(config.url, 1_000), stop: async () => {} };
  }
  const server = new EmbeddedChroma({ dataDir: config.dataDir, port: config.port, log });
  await server.start();
  return { url: server.url, kind: 'embedded', ready: () => server.ready(), stop: () => server.stop() };
}
