/**
 * bench/redaction: throughput of the redactor on a CI-log-like text, against a
 * baseline measured in the same run: one plain regex replace over the same
 * text (the least any redaction costs). Also reports the redactor without
 * secretlint and secretlint alone, so a regression can be placed.
 * Prints one JSON object. Usage: node --import tsx bench/redaction.ts [megabytes]
 */
import { createRedactor } from '../src/ops/redaction/redactor.js';
import { ORDINARY_LINES, secretCorpus } from '../test/unit/ops/redaction/corpus.js';

const megabytes = Number(process.argv[2] ?? 8);
const corpus = secretCorpus().filter((c) => !c.secret.includes('PRIVATE KEY'));
const lines: string[] = [];
let size = 0;
let secrets = 0;
for (let i = 0; size < megabytes * 1_000_000; i++) {
  // About one secret per 200 lines, as in a noisy CI log.
  const line = i % 200 === 199 ? corpus[(secrets++) % corpus.length]!.line : ORDINARY_LINES[i % ORDINARY_LINES.length]!;
  lines.push(line);
  size += line.length + 1;
}
const text = lines.join('\n');
const mb = text.length / 1_000_000;

async function time(fn: () => Promise<unknown> | unknown, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const full = createRedactor();
const ownRules = createRedactor({ secretlint: false });
const baselineMs = await time(() => text.replace(/AKIA[A-Z0-9]{16}/g, '[REDACTED]'));
const fullMs = await time(() => full.redact(text));
const ownMs = await time(() => ownRules.redact(text));
const result = await full.redact(text);

console.log(JSON.stringify({
  bench: 'redaction',
  input: { megabytes: round(mb, 2), lines: lines.length, secrets_planted: secrets, findings: result.findings.length },
  redactor_mb_per_s: round(mb / (fullMs / 1000)),
  redactor_without_secretlint_mb_per_s: round(mb / (ownMs / 1000)),
  baseline_single_regex_mb_per_s: round(mb / (baselineMs / 1000)),
  ratios: {
    redactor_vs_baseline: round(fullMs / baselineMs, 2),
    secretlint_share_of_time: round((fullMs - ownMs) / fullMs, 2),
  },
}, null, 2));
