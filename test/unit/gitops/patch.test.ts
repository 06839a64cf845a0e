import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTwoFilesPatch } from 'diff';
import { applyGitopsPatch } from '../../../src/gitops/patch.js';

const DEPLOY = `# Checkout API deployment (owned by payments)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
  labels:
    app.kubernetes.io/name: checkout-api   # used by the service
spec:
  replicas: 3 # keep small in staging
  template:
    spec:
      containers:
        - name: api
          image: "ghcr.io/acme/api:1.2.3"   # pinned by release
          env:
            - {name: POOL_SIZE, value: "10"}
        - name: envoy
          image: envoyproxy/envoy:v1.30.1
---
# second document
apiVersion: v1
kind: Service
metadata:
  name: checkout-api
spec:
  ports: [80]
`;

const patch = (path: string, set: { path: string; value: unknown; document?: number }[]) => ({ kind: 'gitops.patch' as const, path, set: set as never });

describe('gitops.patch: YAML', () => {
  it('changes only the targeted scalar, keeping comments, quoting and layout', () => {
    const out = applyGitopsPatch(DEPLOY, patch('deploy.yaml', [
      { path: 'spec.replicas', value: 6 },
      { path: 'spec.template.spec.containers[name=api].image', value: 'ghcr.io/acme/api:1.2.4' },
      { path: 'metadata.labels["app.kubernetes.io/name"]', value: 'checkout' },
    ]));
    const expected = DEPLOY.replace('replicas: 3 #', 'replicas: 6 #').replace('"ghcr.io/acme/api:1.2.3"', '"ghcr.io/acme/api:1.2.4"').replace('name: checkout-api   # used', 'name: checkout   # used');
    assert.equal(out, expected);
  });

  it('quotes strings that would otherwise read back as another type', () => {
    const out = applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'spec.template.spec.containers[1].image', value: 'true' }, { path: 'kind', value: 'a: b # c' }]));
    assert.match(out, /image: "true"/);
    assert.match(out, /^kind: "a: b # c"$/m);
  });

  it('edits the chosen document of a multi-document file', () => {
    const out = applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'metadata.name', value: 'checkout-svc', document: 1 }]));
    assert.equal(out, DEPLOY.replace(/(kind: Service\nmetadata:\n {2}name: )checkout-api/, '$1checkout-svc'));
  });

  it('sets a list or map value through the Document API, keeping comments', () => {
    const out = applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'spec.ports', value: [80, 443], document: 1 }]));
    assert.match(out, /# Checkout API deployment/);
    assert.match(out, /# pinned by release/);
    assert.match(out, /# second document/);
    assert.match(out, /ports: \[ 80, 443 \]|ports:\n\s+- 80\n\s+- 443/);
  });

  it('names the path that does not exist and what is there instead', () => {
    assert.throws(() => applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'spec.replica', value: 6 }])),
      /Path spec.replica does not exist in deploy.yaml: spec.replica is not there \(spec exists; keys: replicas, template\)/);
    assert.throws(() => applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'spec.template.spec.containers[name=worker].image', value: 'x' }])),
      /containers\[name=worker\] is not there .*a list of 2/);
    assert.throws(() => applyGitopsPatch(DEPLOY, patch('deploy.yaml', [{ path: 'kind', value: 'x', document: 5 }])), /document 5 does not exist/);
  });
});

describe('gitops.patch: JSON', () => {
  const JSON_FILE = '{\n    "name": "api",\n    "replicas": 3,\n    "image": {"repo": "ghcr.io/acme/api", "tag": "1.2.3"},\n    "env": [\n        {"name": "POOL", "value": "10"}\n    ]\n}\n';

  it('replaces values in place, keeping key order, indentation and the final newline', () => {
    const out = applyGitopsPatch(JSON_FILE, patch('values.json', [
      { path: 'replicas', value: 6 },
      { path: 'image.tag', value: '1.2.4' },
      { path: 'env[name=POOL].value', value: '20' },
    ]));
    assert.equal(out, JSON_FILE.replace('"replicas": 3', '"replicas": 6').replace('"tag": "1.2.3"', '"tag": "1.2.4"').replace('"value": "10"', '"value": "20"'));
  });

  it('names the missing path', () => {
    assert.throws(() => applyGitopsPatch(JSON_FILE, patch('values.json', [{ path: 'image.digest', value: 'x' }])), /Path image.digest does not exist in values.json: image.digest is not there \(image exists; keys: repo, tag\)/);
  });
});

describe('gitops.patch: unified diff', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
  const after = 'a\nB\nc\nd\ne\nf\ng\nh\nI\nj\n';

  it('applies a diff exactly', () => {
    const diff = createTwoFilesPatch('a/conf/app.ini', 'b/conf/app.ini', before, after);
    assert.equal(applyGitopsPatch(before, { kind: 'gitops.patch', path: 'conf/app.ini', diff }), after);
  });

  it('names the hunk that does not apply', () => {
    const diff = createTwoFilesPatch('conf/app.ini', 'conf/app.ini', before, after, undefined, undefined, { context: 1 });
    const drifted = before.replace('i\n', 'x\n');
    assert.throws(() => applyGitopsPatch(drifted, { kind: 'gitops.patch', path: 'conf/app.ini', diff }), /does not apply to conf\/app.ini: hunk 2 \(@@ -8,3 \+8,3 @@\)/);
  });

  it('refuses a diff for another file', () => {
    const diff = createTwoFilesPatch('a/other.ini', 'b/other.ini', before, after);
    assert.throws(() => applyGitopsPatch(before, { kind: 'gitops.patch', path: 'conf/app.ini', diff }), /names other.ini but the action patches conf\/app.ini/);
  });
});
