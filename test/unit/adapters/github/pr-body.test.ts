import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeBlock, inline, link } from '../../../../src/adapters/github/markdown.js';
import { prTitle, renderPrBody } from '../../../../src/adapters/github/pr-body.js';
import { planHash, type Plan } from '../../../../src/domain/plan.js';
import { alertPlan } from '../../../support/github.js';

const body = (plan: Plan, extra: Partial<Parameters<typeof renderPrBody>[0]> = {}) => renderPrBody({
  plan, planHash: planHash(plan), planPath: `.pitcrew/plans/${plan.id}.yaml`, risk: plan.risk, incidentId: 'inc_42',
  links: { slackThread: 'https://acme.slack.com/archives/C1/p123', runbooks: [{ title: 'High error rate', url: 'https://github.com/acme/runbooks/blob/main/high-error-rate.md' }] },
  approval: { required: 1, approvers: ['alice', '@acme/sre'] }, marker: '<!-- pitcrew:proposal key=inc_42 plan=plan_a1 -->', ...extra,
});

describe('fix PR body', () => {
  it('puts what happened, what runs, the risk and the links first, and collapses the evidence', () => {
    const text = body(alertPlan());
    const lines = text.split('\n');
    assert.match(lines[0]!, /^### HighErrorRate on checkout-api/);
    assert.match(lines[2]!, /^\*\*Risk: 🟠 medium\*\* · confidence high \(1\.00\) · incident `inc_42` · \[Slack thread\]\(https:\/\/acme\.slack\.com\/archives\/C1\/p123\) · runbook \[High error rate\]\(https:\/\/github\.com\/acme\/runbooks\/blob\/main\/high-error-rate\.md\)$/);
    assert.match(text, /\*\*What happened:\*\* `HighErrorRate` on `checkout-api` critical, firing/);
    assert.match(text, /#### What runs when this PR is merged\n1\. Restart deployment payments\/checkout-api \(`kubernetes\.rollout_restart`\)\n2\. Edit k8s\/checkout-api\.yaml in acme\/deploy: set spec\.replicas = 8 \(`gitops\.patch`\)/);
    assert.match(text, /#### Rollback\n1\. /);
    assert.match(text, /<details><summary>Evidence \(3\)<\/summary>/);
    assert.match(text, /It needs 1 approval \(medium risk\) from `@alice`, `@acme\/sre`\./);
    assert.ok(text.indexOf('#### What runs') < text.indexOf('<details><summary>Evidence'), 'the plan comes before the evidence');
    assert.ok(text.endsWith('<!-- pitcrew:proposal key=inc_42 plan=plan_a1 -->'));
    assert.equal(prTitle(alertPlan()), 'pitcrew: HighErrorRate on checkout-api: checkout-api 5xx rate above 5% for 10m');
  });

  it('renders untrusted text inert: no mentions, references, links, images or HTML', () => {
    const hostile = '@security-team please merge #123 ![x](https://evil.example/p.png) [docs](https://evil.example) <img src=x onerror=alert(1)> `code` **bold**';
    const plan = { ...alertPlan(), summary: hostile, probableCause: hostile, evidence: [{ kind: 'log' as const, source: 'ci', title: '</details> @ops', excerpt: 'line ```\n</details>\n<script>x</script> @oncall #1' }] };
    const text = body(plan);
    assert.doesNotMatch(text, /(^|[^&#\w])@security-team/);
    assert.doesNotMatch(text, /@ops/);
    assert.doesNotMatch(text, /!\[x\]\(/);
    assert.doesNotMatch(text, /\[docs\]\(https:\/\/evil/);
    assert.doesNotMatch(text, /<img/);
    assert.match(text, /@&#8203;security-team please merge #&#8203;123/);
    const evidence = text.slice(text.indexOf('<details><summary>Evidence'));
    assert.match(evidence, /````text\nline ```\n<\/details>\n<script>x<\/script> @oncall #1\n````/, 'the excerpt sits in a fence longer than any backtick run in it');
    assert.equal(evidence.match(/<\/details>/g)!.length, 3, 'two real closers (evidence and approval) plus the one inside the code block');
  });

  it('escapes and folds inline text, and links only plain http(s) URLs', () => {
    assert.equal(inline('a\n\n*b* _c_ [d](e) <f> | ~g~ \\'), 'a \\*b\\* \\_c\\_ \\[d\\]\\(e\\) &lt;f&gt; \\| \\~g\\~ \\\\');
    assert.equal(inline('x'.repeat(10), 5), 'xxxx…');
    assert.equal(link('ok', 'https://a.example/p(1)'), '[ok](https://a.example/p%281%29)');
    assert.equal(link('js', 'javascript:alert(1)'), 'js');
    assert.equal(link('creds', 'https://u:p@a.example'), 'creds');
    assert.equal(codeBlock('a'), '```text\na\n```');
  });

  it('stays under GitHub\'s body limit with huge evidence', () => {
    const plan = { ...alertPlan(), evidence: Array.from({ length: 50 }, (_, i) => ({ kind: 'log' as const, source: 'ci', title: `log ${i}`, excerpt: 'x'.repeat(2000) })) };
    const text = body(plan);
    assert.ok(text.length < 65_536, String(text.length));
    assert.match(text, /more item\(s\) left out to fit GitHub's size limit/);
  });
});
