import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExtraPatterns, createRedactor } from '../../../../src/ops/redaction/redactor.js';
import { ORDINARY_LINES, secretCorpus } from './corpus.js';

const redactor = createRedactor();

describe('redaction corpus', () => {
  for (const sample of secretCorpus()) {
    it(`redacts: ${sample.name}`, async () => {
      const { text, findings } = await redactor.redact(sample.line);
      assert.ok(findings.length > 0, `nothing found in ${JSON.stringify(sample.line.slice(0, 120))}`);
      assert.ok(!text.includes(sample.secret), `secret survived: ${text}`);
      // No sizeable fragment of it survives either (the whole secret goes, not its middle).
      const secretBody = sample.secret.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      for (let i = 0; i + 12 <= secretBody.length; i += 6) {
        assert.ok(!text.replace(/\s+/g, '').includes(secretBody.slice(i, i + 12)), `a fragment of the secret survived: ${text}`);
      }
      assert.match(text, /\[REDACTED:[a-z0-9-]+\]/);
    });
  }

  it('keeps the readable part of a URL with a password', async () => {
    const { text } = await redactor.redact('git clone https://deploy:hunter2hunter2@git.example.com/acme/api.git');
    assert.match(text, /^git clone https:\/\/deploy:\[REDACTED:[a-z-]+\]@git\.example\.com\/acme\/api\.git$/);
  });
});

describe('ordinary log lines stay readable', () => {
  for (const line of ORDINARY_LINES) {
    it(`keeps: ${line.slice(0, 70)}`, async () => {
      const { text, findings } = await redactor.redact(line);
      assert.deepEqual(findings.map((f) => `${f.rule}: ${line.slice(f.start, f.end)}`), []);
      assert.equal(text, line);
    });
  }
});

describe('redactor', () => {
  it('redacts many secrets in a multi-line log and keeps the lines around them', async () => {
    const corpus = secretCorpus();
    const log = corpus.map((c, i) => `line ${i}: ${c.line}\n${ORDINARY_LINES[i % ORDINARY_LINES.length]}`).join('\n');
    const { text } = await redactor.redact(log);
    for (const sample of corpus) assert.ok(!text.includes(sample.secret), sample.name);
    for (const line of ORDINARY_LINES.slice(0, 10)) assert.ok(text.includes(line), line);
  });

  it('applies configured extra patterns, redacting only group 1 when there is one', async () => {
    const custom = createRedactor({ extraPatterns: ['acme-internal-[0-9]{6}', 'customer_ref=(C[0-9]{8})'] });
    const { text } = await custom.redact('ticket acme-internal-123456 for customer_ref=C12345678 done');
    assert.equal(text, 'ticket [REDACTED:custom-1] for customer_ref=[REDACTED:custom-2] done');
  });

  it('names the configured pattern that does not compile', () => {
    assert.throws(() => compileExtraPatterns(['ok', '([unclosed']), /redaction pattern 2 \("\(\[unclosed"\) is not a valid regular expression/);
    assert.throws(() => compileExtraPatterns(['x*']), /pattern 1 .* matches the empty string/);
  });

  it('redacts every string inside an object, keeping keys and non-strings', async () => {
    const f = secretCorpus()[0]!;
    const out = await redactor.redactDeep({ labels: { token: f.secret, replicas: 3 }, list: [f.line, null] });
    assert.equal(out.labels.replicas, 3);
    assert.ok(!JSON.stringify(out).includes(f.secret));
    assert.deepEqual(Object.keys(out.labels), ['token', 'replicas']);
  });

  it('leaves empty text alone', async () => {
    assert.deepEqual(await redactor.redact(''), { text: '', findings: [] });
  });
});
