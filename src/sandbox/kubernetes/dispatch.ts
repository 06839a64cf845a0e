import type { FakeRequest, FakeResponse, RequestRecord } from '../http/fake-server.js';
import { Router } from '../http/router.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch.js';
import { StatusError } from './status.js';
import { RESOURCES, type WorkloadKind, type WorkloadObject, type WorkloadStore } from './workloads.js';

export type Verb = 'get' | 'list' | 'patch' | 'update';

export interface TokenAccess {
  user: string;
  verbs: Set<Verb>;
}

interface Ctx {
  req: FakeRequest;
  params: Record<string, string>;
  access: TokenAccess;
}

type Handler = (ctx: Ctx) => FakeResponse;

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function ok(body: unknown, status = 200): FakeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

/**
 * Serves the slice of the Kubernetes API that rollout restarts and scaling
 * need (apps/v1 deployments, statefulsets, daemonsets and their scale
 * subresource), with bearer-token auth, verb-level authorization and
 * `Status` error bodies.
 */
export function createKubernetesDispatcher(store: WorkloadStore, tokens: Map<string, TokenAccess>) {
  const router = new Router<Handler>();

  const resolve = (ctx: Ctx, verb: Verb, subresource = ''): { kind: WorkloadKind; resource: string; object: WorkloadObject } => {
    const resource = ctx.params.resource!;
    const kind = RESOURCES[resource];
    if (!kind) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    authorize(ctx, verb, resource, subresource);
    const object = store.get(kind, ctx.params.namespace!, ctx.params.name!);
    if (!object) throw StatusError.notFound(resource, ctx.params.name!);
    return { kind, resource, object };
  };

  const authorize = (ctx: Ctx, verb: Verb, resource: string, subresource = '') => {
    if (ctx.access.verbs.has(verb)) return;
    const name = ctx.params.name ? `${resource}.apps "${ctx.params.name}" is forbidden` : `${resource}.apps is forbidden`;
    throw new StatusError(403, 'Forbidden', `${name}: User "${ctx.access.user}" cannot ${verb} resource "${resource}${subresource}" in API group "apps" in the namespace "${ctx.params.namespace ?? ''}"`, {
      ...(ctx.params.name ? { name: ctx.params.name } : {}),
      group: 'apps',
      kind: resource,
    });
  };

  const patched = (ctx: Ctx, current: unknown): unknown => {
    const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!PATCH_TYPES.includes(type)) {
      throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(ctx.req.body.toString('utf8'));
    } catch (error) {
      throw new StatusError(400, 'BadRequest', `error decoding patch: ${(error as Error).message}`);
    }
    try {
      if (type === 'application/json-patch+json') return applyJsonPatch(current, body);
      if (type === 'application/merge-patch+json') return applyMergePatch(current, body);
      return applyStrategicMergePatch(current, body);
    } catch (error) {
      if (error instanceof PatchError) throw new StatusError(422, 'Invalid', error.message);
      throw error;
    }
  };

  const validate = (resource: string, object: WorkloadObject): void => {
    const replicas = object.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      const kind = `${object.kind}.apps`;
      throw new StatusError(422, 'Invalid', `${kind} "${object.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, {
        name: object.metadata.name,
        group: 'apps',
        kind: object.kind,
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
      });
    }
    if (!object.spec?.template?.metadata) throw new StatusError(422, 'Invalid', `${resource}.apps "${object.metadata.name}" is invalid: spec.template: Required value`);
  };

  const scaleOf = (object: WorkloadObject) => ({
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: object.metadata.name, namespace: object.metadata.namespace, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion, creationTimestamp: object.metadata.creationTimestamp },
    spec: { replicas: object.spec.replicas ?? 0 },
    status: { replicas: Number(object.status.replicas ?? object.spec.replicas ?? 0), selector: Object.entries(object.spec.selector.matchLabels).map(([key, value]) => `${key}=${value}`).join(',') },
  });

  const checkVersion = (object: WorkloadObject, incoming: { metadata?: { resourceVersion?: string } }, resource: string) => {
    const version = incoming.metadata?.resourceVersion;
    if (version && version !== object.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${resource}.apps "${object.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: object.metadata.name, group: 'apps', kind: resource });
    }
  };

  const scaleTo = (ctx: Ctx, resource: string, object: WorkloadObject, scale: { spec?: { replicas?: unknown } }, verb: 'patch' | 'update', body: unknown): FakeResponse => {
    const replicas = scale.spec?.replicas;
    const next = structuredClone(object);
    next.spec.replicas = replicas as number;
    validate(resource, next);
    const stored = store.replace(object, next, { verb, subresource: 'scale', contentType: ctx.req.headers['content-type'] ?? null, body });
    return ok(scaleOf(stored));
  };

  const list = (ctx: Ctx): FakeResponse => {
    const resource = ctx.params.resource!;
    const kind = RESOURCES[resource];
    if (!kind) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    authorize(ctx, 'list', resource);
    return ok({ kind: `${kind}List`, apiVersion: 'apps/v1', metadata: { resourceVersion: store.nextVersion() }, items: store.list(kind, ctx.params.namespace) });
  };

  router
    .add('GET', '/version', () => ok({ major: '1', minor: '30', gitVersion: 'v1.30.0-pitcrew-sandbox', gitCommit: '0000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.22.0', compiler: 'gc', platform: 'linux/amd64' }))
    .add('GET', '/api', () => ok({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] }))
    .add('GET', '/apis', () => ok({ kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] }))
    .add('GET', '/apis/apps/v1', () =>
      ok({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'apps/v1',
        resources: Object.entries(RESOURCES).flatMap(([name, kind]) => [
          { name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list', 'patch', 'update'] },
          ...(kind === 'DaemonSet' ? [] : [{ name: `${name}/scale`, singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }]),
        ]),
      }))
    .add('GET', '/apis/apps/v1/:resource', list)
    .add('GET', '/apis/apps/v1/namespaces/:namespace/:resource', list)
    .add('GET', '/apis/apps/v1/namespaces/:namespace/:resource/:name', (ctx) => ok(resolve(ctx, 'get').object))
    .add('PATCH', '/apis/apps/v1/namespaces/:namespace/:resource/:name', (ctx) => {
      const { resource, object } = resolve(ctx, 'patch');
      const next = patched(ctx, object) as WorkloadObject;
      validate(resource, next);
      return ok(store.replace(object, next, { verb: 'patch', subresource: null, contentType: ctx.req.headers['content-type'] ?? null, body: JSON.parse(ctx.req.body.toString('utf8')) }));
    })
    .add('PUT', '/apis/apps/v1/namespaces/:namespace/:resource/:name', (ctx) => {
      const { resource, object } = resolve(ctx, 'update');
      const next = JSON.parse(ctx.req.body.toString('utf8')) as WorkloadObject;
      checkVersion(object, next, resource);
      validate(resource, next);
      return ok(store.replace(object, next, { verb: 'update', subresource: null, contentType: 'application/json', body: next }));
    })
    .add('GET', '/apis/apps/v1/namespaces/:namespace/:resource/:name/scale', (ctx) => {
      const { kind, object } = resolve(ctx, 'get', '/scale');
      if (kind === 'DaemonSet') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      return ok(scaleOf(object));
    })
    .add('PATCH', '/apis/apps/v1/namespaces/:namespace/:resource/:name/scale', (ctx) => {
      const { kind, resource, object } = resolve(ctx, 'patch', '/scale');
      if (kind === 'DaemonSet') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      const scale = patched(ctx, scaleOf(object)) as { spec?: { replicas?: unknown } };
      return scaleTo(ctx, resource, object, scale, 'patch', JSON.parse(ctx.req.body.toString('utf8')));
    })
    .add('PUT', '/apis/apps/v1/namespaces/:namespace/:resource/:name/scale', (ctx) => {
      const { kind, resource, object } = resolve(ctx, 'update', '/scale');
      if (kind === 'DaemonSet') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      const scale = JSON.parse(ctx.req.body.toString('utf8')) as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } };
      checkVersion(object, scale, resource);
      return scaleTo(ctx, resource, object, scale, 'update', scale);
    });

  return async (req: FakeRequest, record: Partial<RequestRecord>): Promise<FakeResponse> => {
    try {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const access = token ? tokens.get(token) : undefined;
      if (!access) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      record.actor = access.user;
      const match = router.match(req.method, req.path);
      if (!match) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      if ('methodNotAllowed' in match) throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      if (req.method !== 'GET' && req.body.length > 0) {
        try {
          record.body = JSON.parse(req.body.toString('utf8'));
        } catch {
          // reported by the handler
        }
      }
      return match.handler({ req, params: match.params, access });
    } catch (error) {
      if (error instanceof StatusError) return error.response();
      if (error instanceof SyntaxError) return new StatusError(400, 'BadRequest', `the request body is not valid JSON: ${error.message}`).response();
      throw error;
    }
  };
}
