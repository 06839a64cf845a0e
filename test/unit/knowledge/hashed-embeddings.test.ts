import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashedNgramEmbeddings } from '../../../src/knowledge/embeddings/hashed-ngram-embeddings.js';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('hashed n-gram embeddings (the offline default)', () => {
  const model = new HashedNgramEmbeddings();

  it('are deterministic, unit length and of the configured size, with a model id naming both', async () => {
    const [a, b] = await model.embedDocuments(['disk is full', 'disk is full']);
    assert.deepEqual(a, b);
    assert.equal(a!.length, 512);
    assert.ok(Math.abs(cosine(a!, a!) - 1) < 1e-9);
    assert.equal(model.modelId, 'pitcrew-hashed-ngrams-v1/512');
    assert.equal(new HashedNgramEmbeddings({ dimensions: 64 }).modelId, 'pitcrew-hashed-ngrams-v1/64');
  });

  it('put related texts closer than unrelated ones, including word forms (character n-grams)', async () => {
    const query = await model.embedQuery('certificate expires soon');
    const related = await model.embedQuery('TLS certificates expiring within 14 days');
    const unrelated = await model.embedQuery('kafka consumer lag growing');
    assert.ok(cosine(query, related) > cosine(query, unrelated) + 0.1);
  });

  it('embed empty text as the zero vector rather than failing', async () => {
    const vector = await model.embedQuery('');
    assert.ok(vector.every((value) => value === 0));
  });
});
