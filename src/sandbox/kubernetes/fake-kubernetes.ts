import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { systemClock, type Clock } from '../../domain/clock.js';
import { FakeHttpServer, type RequestRecord } from '../http/fake-server.js';
import { createKubernetesDispatcher, type TokenAccess, type Verb } from './dispatch.js';
import { WorkloadStore, type WorkloadChange, type WorkloadKind, type WorkloadObject } from './workloads.js';

export interface FakeKubernetesOptions {
  clock?: Clock;
  port?: number;
  /** How long a rollout takes before status catches up with spec (0: at once). */
  rolloutMs?: number;
}

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * A fake Kubernetes API server on loopback (plain HTTP, bearer tokens) with
 * apps/v1 workloads, enough for @kubernetes/client-node to restart and scale
 * them, and a kubeconfig that points at it. See src/sandbox/README.md.
 */
export class FakeKubernetes {
  readonly store: WorkloadStore;
  readonly token = `sandbox-${randomBytes(16).toString('hex')}`;
  private readonly tokens = new Map<string, TokenAccess>();
  private readonly server: FakeHttpServer;

  private constructor(options: FakeKubernetesOptions) {
    const clock = options.clock ?? systemClock;
    this.store = new WorkloadStore(clock, options.rolloutMs ?? 0);
    this.tokens.set(this.token, { user: 'system:serviceaccount:pitcrew:sandbox-admin', verbs: new Set(['get', 'list', 'patch', 'update']) });
    this.server = new FakeHttpServer(createKubernetesDispatcher(this.store, this.tokens), clock);
  }

  static async start(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes(options);
    await fake.server.listen(options.port ?? 0);
    return fake;
  }

  async stop(): Promise<void> {
    this.store.close();
    await this.server.close();
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RequestRecord[] {
    return this.server.requests;
  }

  /** A token allowed only `verbs` (e.g. get/list for a read-only service account): others answer 403. */
  tokenWith(verbs: Verb[], user = 'system:serviceaccount:pitcrew:limited'): string {
    const token = `sandbox-${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, { user, verbs: new Set(verbs) });
    return token;
  }

  /** A kubeconfig (YAML) for this server: `KubeConfig.loadFromString()` or write it with writeKubeconfig(). */
  kubeconfig(options: { namespace?: string; token?: string; context?: string } = {}): string {
    const name = options.context ?? 'pitcrew-sandbox';
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // Plain HTTP on loopback: client-node accepts http:// only with skip-TLS-verify set.
      clusters: [{ name, cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name, user: { token: options.token ?? this.token } }],
      contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace ?? 'default' } }],
      'current-context': name,
      preferences: {},
    });
  }

  writeKubeconfig(path: string, options: { namespace?: string; token?: string; context?: string } = {}): string {
    writeFileSync(path, this.kubeconfig(options), { mode: 0o600 });
    return path;
  }

  addDeployment(name: string, options: { namespace?: string; replicas?: number; image?: string } = {}): WorkloadObject {
    return this.store.add({ kind: 'Deployment', name, ...options });
  }

  addStatefulSet(name: string, options: { namespace?: string; replicas?: number; image?: string } = {}): WorkloadObject {
    return this.store.add({ kind: 'StatefulSet', name, ...options });
  }

  addDaemonSet(name: string, options: { namespace?: string; image?: string } = {}): WorkloadObject {
    return this.store.add({ kind: 'DaemonSet', name, ...options });
  }

  get(kind: WorkloadKind, name: string, namespace = 'default'): WorkloadObject | undefined {
    return this.store.get(kind, namespace, name);
  }

  /** The pod-template `restartedAt` annotation a rollout restart sets, or undefined. */
  restartedAt(kind: WorkloadKind, name: string, namespace = 'default'): string | undefined {
    return this.get(kind, name, namespace)?.spec.template.metadata.annotations?.[RESTARTED_AT];
  }

  replicas(kind: WorkloadKind, name: string, namespace = 'default'): number | undefined {
    return this.get(kind, name, namespace)?.spec.replicas;
  }

  /** Every accepted change, oldest first. */
  changes(filter: { kind?: WorkloadKind; name?: string; namespace?: string } = {}): WorkloadChange[] {
    return this.store.changes.filter((change) => (!filter.kind || change.kind === filter.kind) && (!filter.name || change.name === filter.name) && (!filter.namespace || change.namespace === filter.namespace));
  }
}
