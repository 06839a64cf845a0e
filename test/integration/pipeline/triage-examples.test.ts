import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { toPlanningContext } from '../../../src/pipeline/planning-context.js';
import { triage } from '../../../src/pipeline/triage.js';
import { plan } from '../../../src/planner/plan.js';
import { loadPolicy } from '../../../src/planner/policy-file.js';
import { DEFAULT_INCIDENT_POLICY } from '../../../src/domain/incident.js';
import { startTestChroma, testKnowledge } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';

/**
 * Issue 5's "done when": triage prints a deterministic plan for the alert of
 * each example runbook. Every example alert in examples/alerts must land on its
 * runbook and plan that runbook's remediation, allowed by the example policy.
 */
const examples = readdirSync(join(repoRoot, 'examples', 'alerts')).filter((name) => name.endsWith('.json'));
const remediationKinds = (runbook: string) => [...readFileSync(join(repoRoot, 'runbooks', runbook), 'utf8').matchAll(/^ {2}- kind: (\S+)/gm)].map((m) => m[1]);

describe('triage of every example alert, through retrieval and the deterministic planner', () => {
  let chroma: Awaited<ReturnType<typeof startTestChroma>>;
  let knowledge: Knowledge;
  before(async () => {
    chroma = await startTestChroma();
    knowledge = await testKnowledge(chroma.url, [join(repoRoot, 'runbooks')]);
    await knowledge.indexRunbooks();
  });
  after(() => chroma.stop());

  const policy = loadPolicy(join(repoRoot, 'docs', 'policy.example.yml'));
  const deps = { policy, redactor: createRedactor(), clock: manualClock() };

  for (const file of examples) {
    it(`${file} → its runbook's plan`, async () => {
      const report = await triage(readFileSync(join(repoRoot, 'examples', 'alerts', file), 'utf8'), {
        origin: file,
        policy: DEFAULT_INCIDENT_POLICY,
        clock: manualClock(),
        ports: {
          retrieve: (signal) => knowledge.retriever.retrieve({ signal }),
          plan: (signal, retrieval) => plan(toPlanningContext(signal, retrieval), deps),
        },
      });
      assert.equal(report.responses.length, 1);
      const [response] = report.responses;
      assert.equal(response!.failed, undefined);
      const expectedRunbook = readdirSync(join(repoRoot, 'runbooks'), { recursive: true }).map(String).find((path) => path.endsWith(`/${file.replace('.json', '.md')}`))!;
      assert.equal(response!.plan!.runbook?.path, expectedRunbook);
      assert.equal(response!.plan!.planner.kind, 'deterministic');
      assert.equal(response!.decision!.verdict.allowed, true, response!.decision!.verdict.reasons.join('; '));
      const kinds = remediationKinds(expectedRunbook);
      assert.deepEqual(response!.plan!.actions.map((a) => a.kind), kinds.length > 0 ? kinds : ['notify']);
      assert.equal(response!.plan!.confidence.level, 'high');
    });
  }
});
