import { appOptionsFromManifest, startSandbox, type FakeApp, type Sandbox } from '../sandbox/index.js';

/**
 * The world `npm run demo` plays in: the GitHub and Kubernetes fakes from
 * src/sandbox with one GitOps repository, its people and one deployment.
 *
 * - acme/platform-gitops: `.github/pitcrew.yml` (the sre team approves),
 *   a protected `main` (one approval and the pitcrew/gate status), and the
 *   values file the OOMKilled runbook patches;
 * - people: alice (org admin), carol (sre, the reviewer), bob (writer, merges);
 * - Kubernetes: payments/payments-api with 2 replicas.
 */
export const DEMO_REPO = 'acme/platform-gitops';
export const DEMO_ALERT = 'examples/alerts/oomkilled-container.json';
export const REVIEWER = 'carol';
export const MERGER = 'bob';

export const DEMO_REPO_CONFIG = `# Who approves pitcrew plans in acme/platform-gitops
approvers:
  low: ["@acme/sre"]
requiredApprovals:
  low: 1
  medium: 1
  high: 2
codeowners: false
auditBranch: pitcrew-audit
`;

export const DEMO_VALUES = `# payments-api Helm values (owned by the payments team)
replicaCount: 2
image:
  repository: registry.example.com/payments-api
  tag: "2026.11.3"
resources:
  requests:
    memory: 256Mi
  limits:
    memory: 512Mi # raised by hand after INC-12
`;

export interface DemoWorld {
  sandbox: Sandbox;
  app: FakeApp;
  webhookSecret: string;
  /** Points the app's webhooks at the service, once it listens. */
  connect(port: number): void;
  stop(): Promise<void>;
}

export async function startDemoWorld(manifestPath: string): Promise<DemoWorld> {
  const sandbox = await startSandbox();
  const { github, kubernetes } = sandbox;
  const webhookSecret = 'demo-webhook-secret';
  const app = github.createApp({ slug: 'pitcrew', ...appOptionsFromManifest(manifestPath) });
  github.addOrg('acme', { alice: 'admin' });
  github.addTeam({ org: 'acme', slug: 'sre', members: [REVIEWER, 'dave'] });
  await github.createRepo({
    owner: 'acme',
    name: 'platform-gitops',
    files: {
      'README.md': '# platform-gitops\n\nWhat runs in the cluster, reviewed like code.\n',
      '.github/pitcrew.yml': DEMO_REPO_CONFIG,
      'apps/payments/payments-api/values.yaml': DEMO_VALUES,
    },
    installations: [app],
  });
  github.addCollaborator(DEMO_REPO, MERGER, 'write');
  github.addCollaborator(DEMO_REPO, REVIEWER, 'write');
  github.protectBranch(DEMO_REPO, 'main', { requiredApprovals: 1, requiredChecks: ['pitcrew/gate'], dismissStaleReviews: true, enforceAdmins: false });
  kubernetes.addDeployment('payments-api', { namespace: 'payments', replicas: 2, image: 'registry.example.com/payments-api:2026.11.3' });
  return {
    sandbox,
    app,
    webhookSecret,
    connect: (port) => github.setWebhook(app, { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: webhookSecret }),
    stop: () => sandbox.stop(),
  };
}
