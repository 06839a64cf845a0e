import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPitcrewError } from '../../../src/domain/errors.js';
import { createChromaClient } from '../../../src/knowledge/chroma/client.js';
import { createEmbeddingModel } from '../../../src/knowledge/embeddings/create-embeddings.js';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../support/fake-openai-embeddings.js';
import { alertSignal, fixtureRunbooks, startTestChroma, testKnowledge } from '../../support/knowledge.js';

describe('OpenAI-compatible embeddings (fake server on 127.0.0.1, real Chroma)', () => {
  let url: string;
  let stop: () => Promise<void>;
  let fake: FakeEmbeddingsServer;
  before(async () => {
    ({ url, stop } = await startTestChroma());
    fake = await startFakeEmbeddings();
  });
  after(async () => {
    await fake.close();
    await stop();
  });

  it('indexes and retrieves through the configured base URL, model and key, asking for floats', async () => {
    const dir = fixtureRunbooks();
    const hashed = await testKnowledge(url, [dir]);
    await hashed.indexRunbooks();

    const embedding = createEmbeddingModel({ provider: 'openai', model: 'fake-embed-small', baseUrl: fake.baseUrl, apiKey: 'test-key' });
    const knowledge = await testKnowledge(url, [dir], { embedding });
    const summary = await knowledge.indexRunbooks();
    assert.equal(summary.rebuilt, true, 'switching from hashed re-indexes');
    assert.equal(summary.added, 7);
    assert.equal((await createChromaClient(url).getCollection({ name: 'runbooks' })).metadata?.pitcrew_embedding_model, 'openai-compatible:fake-embed-small');

    const result = await knowledge.retriever.retrieve({ signal: alertSignal({ summary: 'Kafka consumer group lag keeps increasing' }) });
    assert.equal(result.runbooks[0]!.path, 'KafkaConsumerLagGrowing.md');
    assert.ok(result.runbooks[0]!.matches.some((match) => match.route === 'vector'));

    assert.ok(fake.requests.length >= 2);
    for (const request of fake.requests) {
      assert.equal(request.authorization, 'Bearer test-key');
      assert.equal(request.model, 'fake-embed-small');
      assert.equal(request.encodingFormat, 'float');
    }
    assert.ok(fake.requests.some((request) => request.input.length > 1), 'documents are embedded in batches');

    const again = await knowledge.indexRunbooks();
    assert.equal(again.unchanged, 7);
  });

  it('fails with one clear error naming the server and model when the server refuses', async () => {
    const embedding = createEmbeddingModel({ provider: 'openai', model: 'fake-embed-small', baseUrl: fake.baseUrl, apiKey: 'wrong' });
    fake.failWith = 401;
    try {
      await assert.rejects(embedding.embeddings.embedQuery('disk full'), (error: unknown) => {
        assert.ok(isPitcrewError(error, 'embeddings_unavailable'));
        assert.match(error.message, new RegExp(`embeddings server at ${fake.baseUrl.replace(/[.]/g, '\\.')} failed for model "fake-embed-small"`));
        assert.match(error.hint ?? '', /PITCREW_EMBEDDINGS=hashed/);
        return true;
      });
    } finally {
      fake.failWith = undefined;
    }
  });
});
