import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runCli } from '../support/processes.js';
import { context } from '../support/planning.js';
import { tempDir } from '../support/tmp.js';

describe('pitcrew plan and replay', () => {
  it('plans a context file, records the decision, and replays it to the same plan; a changed policy shows a diff', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'context.json'), JSON.stringify(context()));
    const policy = { repos: ['acme/deploy'], kubernetes: { targets: [{ namespaces: ['payments'] }] } };
    writeFileSync(join(cwd, 'policy.yml'), stringify(policy));
    const env = { PITCREW_DATA_DIR: join(cwd, 'data'), PITCREW_POLICY_FILE: join(cwd, 'policy.yml') };

    const planned = await runCli(['plan', 'context.json', '--json'], { cwd, env });
    assert.equal(planned.code, 0, planned.output);
    const out = JSON.parse(planned.output) as { plan: { actions: { kind: string }[] }; planHash: string; decisionId: string };
    assert.deepEqual(out.plan.actions.map((a) => a.kind), ['kubernetes.rollout_restart', 'kubernetes.scale']);
    assert.match(out.planHash, /^sha256:/);

    const same = await runCli(['replay', out.decisionId], { cwd, env });
    assert.equal(same.code, 0, same.output);
    assert.match(same.output, /gives the same plan/);

    writeFileSync(join(cwd, 'policy.yml'), stringify({ ...policy, kubernetes: { targets: [{ namespaces: ['other'] }] } }));
    const changed = await runCli(['replay', out.decisionId, '--current-policy'], { cwd, env });
    assert.equal(changed.code, 1, changed.output);
    assert.match(changed.output, /gives a different plan/);
    assert.match(changed.output, /^-\s+- kind: kubernetes.rollout_restart/m);

    const human = await runCli(['plan', 'context.json', '--no-save'], { cwd, env });
    assert.match(human.output, /HighErrorRate on checkout-api/);
    assert.match(human.output, /the policy rejected its actions: action 1 \(kubernetes.rollout_restart payments\/deployment\/checkout-api\) targets namespace payments/);
  });

  it('names a bad input file', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'bad.json'), '{"signal": {"fingerprint": ""}}');
    const result = await runCli(['plan', 'bad.json', '--no-save'], { cwd, env: { PITCREW_DATA_DIR: join(cwd, 'data') } });
    assert.equal(result.code, 1);
    assert.match(result.output, /The planning context is invalid: signal\.source/);
  });
});
