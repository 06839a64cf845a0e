import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { manualClock } from '../../src/domain/clock.js';
import type { Signal } from '../../src/domain/signal.js';
import { EmbeddedChroma } from '../../src/knowledge/chroma/embedded-server.js';
import { HashedNgramEmbeddings } from '../../src/knowledge/embeddings/hashed-ngram-embeddings.js';
import { openKnowledge, type Knowledge } from '../../src/knowledge/knowledge.js';
import type { EmbeddingModel } from '../../src/knowledge/vector/vector-collection.js';
import { silentLogger } from '../../src/ops/logger.js';
import { repoRoot } from './processes.js';
import { tempDir } from './tmp.js';

/**
 * A real embedded Chroma server in a temp dir. Call from a `before` hook and
 * stop it from the suite's `after` (a hook registered inside `before` would
 * run as soon as that `before` ends).
 */
export async function startTestChroma(): Promise<{ url: string; server: EmbeddedChroma; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pitcrew-chroma-'));
  const server = new EmbeddedChroma({ dataDir: join(dir, 'chroma'), port: 0, log: silentLogger() });
  await server.start();
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: server.url, server, stop };
}

export function hashedModel(dimensions = 512): EmbeddingModel {
  const embeddings = new HashedNgramEmbeddings({ dimensions });
  return { embeddings, modelId: embeddings.modelId };
}

export async function testKnowledge(url: string, runbookDirs: string[], options: { embedding?: EmbeddingModel; minEvidence?: number; redact?: (text: string) => string } = {}): Promise<Knowledge> {
  return openKnowledge({ chromaUrl: url, embedding: options.embedding ?? hashedModel(), runbookDirs, minEvidence: options.minEvidence ?? 0.3, log: silentLogger(), clock: manualClock(), redact: options.redact });
}

/** A copy of test/fixtures/retrieval/runbooks to modify freely. */
export function fixtureRunbooks(): string {
  const dir = join(tempDir('pitcrew-runbooks-'), 'runbooks');
  cpSync(join(repoRoot, 'test', 'fixtures', 'retrieval', 'runbooks'), dir, { recursive: true });
  return dir;
}

export function writeRunbook(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export function alertSignal(fields: { alertname?: string; summary: string; description?: string; labels?: Record<string, string>; service?: string }): Signal {
  const labels = { ...(fields.alertname ? { alertname: fields.alertname } : {}), ...fields.labels };
  return {
    source: 'alertmanager',
    fingerprint: 'f',
    status: 'firing',
    alertname: fields.alertname,
    severity: 'warning',
    labels,
    annotations: { summary: fields.summary, ...(fields.description ? { description: fields.description } : {}) },
    summary: fields.summary,
    description: fields.description,
    service: fields.service,
    links: [],
  };
}
