import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export const RESOURCES: Record<string, WorkloadKind> = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' };

/** A workload object as the API server stores it (apps/v1 JSON). */
export type WorkloadObject = {
  apiVersion: 'apps/v1';
  kind: WorkloadKind;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    generation: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> };
    [key: string]: unknown;
  };
  status: Record<string, unknown>;
};

/** One change the fake accepted, for tests to inspect (who, what, how). */
export interface WorkloadChange {
  at: number;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  verb: 'patch' | 'update' | 'create';
  subresource: 'scale' | null;
  contentType: string | null;
  body: unknown;
  /** Fields that changed: `spec.replicas`, `spec.template` … */
  changed: string[];
}

const RFC3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The workloads of a fake cluster. A template change bumps `generation`, and
 * the simulated controller then "rolls out" (status catches up with spec),
 * at once or after `rolloutMs`.
 */
export class WorkloadStore {
  readonly objects = new Map<string, WorkloadObject>();
  readonly changes: WorkloadChange[] = [];
  private resourceVersion = 1000;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly clock: Clock,
    public rolloutMs = 0,
  ) {}

  key(kind: WorkloadKind, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  get(kind: WorkloadKind, namespace: string, name: string): WorkloadObject | undefined {
    return this.objects.get(this.key(kind, namespace, name));
  }

  list(kind: WorkloadKind, namespace?: string): WorkloadObject[] {
    return [...this.objects.values()].filter((object) => object.kind === kind && (!namespace || object.metadata.namespace === namespace));
  }

  nextVersion(): string {
    return String(++this.resourceVersion);
  }

  add(input: { kind: WorkloadKind; name: string; namespace?: string; replicas?: number; labels?: Record<string, string>; image?: string }): WorkloadObject {
    const namespace = input.namespace ?? 'default';
    const labels = input.labels ?? { app: input.name };
    const object: WorkloadObject = {
      apiVersion: 'apps/v1',
      kind: input.kind,
      metadata: { name: input.name, namespace, uid: randomUUID(), resourceVersion: this.nextVersion(), generation: 1, creationTimestamp: RFC3339(this.clock.now()), labels },
      spec: {
        ...(input.kind === 'DaemonSet' ? {} : { replicas: input.replicas ?? 1 }),
        ...(input.kind === 'StatefulSet' ? { serviceName: input.name } : {}),
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: input.name, image: input.image ?? `registry.example.com/${input.name}:1.0.0` }] } },
      },
      status: {},
    };
    this.settle(object);
    this.objects.set(this.key(object.kind, namespace, input.name), object);
    this.changes.push({ at: this.clock.now(), kind: object.kind, namespace, name: input.name, verb: 'create', subresource: null, contentType: null, body: null, changed: [] });
    return object;
  }

  /** Stores a new version of `object` (validated by the caller) and starts its rollout. */
  replace(previous: WorkloadObject, next: WorkloadObject, change: Omit<WorkloadChange, 'at' | 'changed' | 'kind' | 'namespace' | 'name'>): WorkloadObject {
    const changed: string[] = [];
    if (JSON.stringify(previous.spec.template) !== JSON.stringify(next.spec.template)) changed.push('spec.template');
    if (previous.spec.replicas !== next.spec.replicas) changed.push('spec.replicas');
    if (JSON.stringify(previous.metadata.labels) !== JSON.stringify(next.metadata.labels) || JSON.stringify(previous.metadata.annotations) !== JSON.stringify(next.metadata.annotations)) changed.push('metadata');
    const stored: WorkloadObject = {
      ...next,
      apiVersion: 'apps/v1',
      kind: previous.kind,
      metadata: {
        ...next.metadata,
        name: previous.metadata.name,
        namespace: previous.metadata.namespace,
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        generation: previous.metadata.generation + (changed.some((field) => field.startsWith('spec')) ? 1 : 0),
        resourceVersion: changed.length > 0 ? this.nextVersion() : previous.metadata.resourceVersion,
      },
      status: previous.status,
    };
    this.objects.set(this.key(stored.kind, stored.metadata.namespace, stored.metadata.name), stored);
    this.changes.push({ at: this.clock.now(), kind: stored.kind, namespace: stored.metadata.namespace, name: stored.metadata.name, changed, ...change });
    if (changed.some((field) => field.startsWith('spec'))) this.rollout(stored);
    return stored;
  }

  private rollout(object: WorkloadObject): void {
    const replicas = object.spec.replicas ?? 1;
    object.status = { ...object.status, observedGeneration: object.metadata.generation, updatedReplicas: 0, readyReplicas: Math.min(replicas, Number(object.status.readyReplicas ?? replicas)), replicas };
    if (this.rolloutMs <= 0) return this.settle(object);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const current = this.get(object.kind, object.metadata.namespace, object.metadata.name);
      if (current && current.metadata.generation === object.metadata.generation) this.settle(current);
    }, this.rolloutMs);
    this.timers.add(timer);
  }

  /** Status as a healthy controller reports it once the rollout is done. */
  private settle(object: WorkloadObject): void {
    const replicas = object.spec.replicas ?? 1;
    const generation = object.metadata.generation;
    if (object.kind === 'DaemonSet') {
      object.status = { currentNumberScheduled: 1, desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1, observedGeneration: generation, updatedNumberScheduled: 1 };
      return;
    }
    object.status = {
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      ...(object.kind === 'StatefulSet' ? { currentReplicas: replicas, currentRevision: `${object.metadata.name}-${generation}`, updateRevision: `${object.metadata.name}-${generation}` } : {}),
      ...(object.kind === 'Deployment'
        ? {
            conditions: [
              { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: RFC3339(this.clock.now()), lastTransitionTime: RFC3339(this.clock.now()) },
              { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${object.metadata.name}-${generation}" has successfully progressed.`, lastUpdateTime: RFC3339(this.clock.now()), lastTransitionTime: RFC3339(this.clock.now()) },
            ],
          }
        : {}),
    };
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
