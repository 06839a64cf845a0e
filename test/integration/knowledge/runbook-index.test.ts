import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChromaClient } from '../../../src/knowledge/chroma/client.js';
import { alertSignal, fixtureRunbooks, hashedModel, startTestChroma, testKnowledge, writeRunbook } from '../../support/knowledge.js';

describe('runbook indexing (real Chroma)', () => {
  let url: string;
  let stop: () => Promise<void>;
  before(async () => {
    const chroma = await startTestChroma();
    url = chroma.url;
    stop = chroma.stop;
  });
  after(() => stop());

  it('indexes incrementally: unchanged costs nothing, changed replaces its chunks, deleted removes its own', async () => {
    const dir = fixtureRunbooks();
    const knowledge = await testKnowledge(url, [dir]);
    const cold = await knowledge.indexRunbooks();
    assert.deepEqual([cold.added, cold.updated, cold.removed, cold.unchanged], [7, 0, 0, 0]);
    const collection = await createChromaClient(url).getCollection({ name: 'runbooks' });
    const chunks = await collection.count();
    assert.equal(cold.chunksWritten, chunks);

    const warm = await knowledge.indexRunbooks();
    assert.deepEqual([warm.added, warm.updated, warm.removed, warm.unchanged, warm.chunksWritten], [0, 0, 0, 7, 0]);

    // Change one file: fewer sections, new words. Its old chunks are replaced, not left behind.
    writeRunbook(dir, 'RedisMemoryHigh.md', '# RedisMemoryHigh\n\nEviction storms happen when maxmemory is reached under the allkeys-lru policy.');
    rmSync(join(dir, 'network', 'DNSResolutionFailing.md'));
    writeRunbook(dir, 'new/CertificateExpiry.md', '# CertificateExpiry\n\n## Meaning\n\nThe TLS certificate expires soon.');
    const changed = await knowledge.indexRunbooks();
    assert.deepEqual([changed.added, changed.updated, changed.removed, changed.unchanged], [1, 1, 1, 5]);
    const paths = (await collection.get({ include: ['metadatas'] as never })).metadatas.map((metadata) => String(metadata?.path));
    assert.equal(paths.filter((path) => path === 'RedisMemoryHigh.md').length, 1, 'one chunk for the rewritten file');
    assert.ok(!paths.includes('network/DNSResolutionFailing.md'), 'deleted file has no chunks left');

    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'Redis eviction storm under allkeys-lru' }) });
    assert.equal(result.runbooks[0]?.path, 'RedisMemoryHigh.md');
    const gone = await knowledge.retriever.retrieve({ signal: alertSignal({ alertname: 'DNSResolutionFailing', summary: 'DNS lookups fail' }) });
    assert.ok(!gone.runbooks.some((hit) => hit.path === 'network/DNSResolutionFailing.md'));
  });

  it('skips a runbook with malformed front matter, naming file and line, and indexes the rest', async () => {
    const dir = fixtureRunbooks();
    writeRunbook(dir, 'broken.md', '---\ntitle: Broken\nremediation:\n  - kind: shell.exec\n---\n# Broken');
    await createChromaClient(url).deleteCollection({ name: 'runbooks' }).catch(() => undefined);
    const summary = await (await testKnowledge(url, [dir])).indexRunbooks();
    assert.equal(summary.added, 7);
    assert.deepEqual(summary.skipped.map((problem) => [problem.file, problem.line]), [[join(dir, 'broken.md'), 4]]);
    assert.match(summary.skipped[0]!.message, /remediation\.0\.kind/);
  });

  it('records the embedding model on each collection and re-indexes cleanly when it changes', async () => {
    const dir = fixtureRunbooks();
    const client = createChromaClient(url);
    await client.deleteCollection({ name: 'runbooks' }).catch(() => undefined);
    const first = await testKnowledge(url, [dir]);
    await first.indexRunbooks();
    assert.equal((await client.getCollection({ name: 'runbooks' })).metadata?.pitcrew_embedding_model, 'pitcrew-hashed-ngrams-v1/512');

    const switched = await testKnowledge(url, [dir], { embedding: hashedModel(256) });
    const summary = await switched.indexRunbooks();
    assert.equal(summary.rebuilt, true);
    assert.equal(summary.added, 7, 'every runbook re-embedded');
    const collection = await client.getCollection({ name: 'runbooks' });
    assert.equal(collection.metadata?.pitcrew_embedding_model, 'pitcrew-hashed-ngrams-v1/256');
    const [record] = (await collection.get({ limit: 1, include: ['embeddings'] as never })).embeddings;
    assert.equal(record?.length, 256);
    const result = await switched.retriever.retrieve({ signal: alertSignal({ summary: 'Kafka consumer group lag keeps increasing' }) });
    assert.equal(result.runbooks[0]?.path, 'KafkaConsumerLagGrowing.md');
  });

  it('refuses to index when no listed directory exists, and keeps what was indexed', async () => {
    const dir = fixtureRunbooks();
    const knowledge = await testKnowledge(url, [dir]);
    await knowledge.indexRunbooks();
    await assert.rejects(knowledge.indexRunbooks([join(dir, 'nope')]), /No runbook directory found: .*nope does not exist/);
    assert.equal(knowledge.runbooks.catalog.size, 7);
  });
});
