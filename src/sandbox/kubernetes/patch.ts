/**
 * The three patch formats the Kubernetes API accepts: JSON Patch (RFC 6902),
 * JSON Merge Patch (RFC 7386) and strategic merge patch (merge patch where
 * lists of named objects such as containers merge by `name`).
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

export class PatchError extends Error {}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split('/').map(unescape);
}

function parentOf(doc: Json, tokens: string[], op: string, path: string): { parent: JsonObject | Json[]; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return { parent: node, key: tokens.at(-1)! };
}

function get(doc: Json, path: string): Json {
  let node = doc;
  for (const token of parsePointer(path)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

function add(doc: Json, path: string, value: Json, op = 'add'): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new PatchError(`${op} operation does not apply: index ${key} out of bounds at "${path}"`);
    parent.splice(index, 0, clone(value));
  } else parent[key] = clone(value);
  return doc;
}

function remove(doc: Json, path: string, op = 'remove'): Json {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
    parent.splice(index, 1);
  } else {
    if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902. Throws PatchError (the API answers 422) when an operation does not apply. */
export function applyJsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new PatchError('invalid JSON patch operation');
    const { op, path } = raw;
    switch (op) {
      case 'add':
        doc = add(doc, path, raw.value);
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        doc = remove(doc, path, 'replace');
        doc = add(doc, path, raw.value, 'replace');
        break;
      case 'move': {
        const value = get(doc, String(raw.from));
        if (value === undefined) throw new PatchError(`move operation does not apply: doc is missing from path: "${String(raw.from)}"`);
        doc = remove(doc, String(raw.from), 'move');
        doc = add(doc, path, value, 'move');
        break;
      }
      case 'copy': {
        const value = get(doc, String(raw.from));
        if (value === undefined) throw new PatchError(`copy operation does not apply: doc is missing from path: "${String(raw.from)}"`);
        doc = add(doc, path, value, 'copy');
        break;
      }
      case 'test':
        if (JSON.stringify(get(doc, path)) !== JSON.stringify(raw.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** Lists that strategic merge patch merges by key in the core workload types. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  tolerations: 'key',
};

/** Strategic merge patch for the fields workloads use (see MERGE_KEYS); `$patch: delete` removes a list item. */
export function applyStrategicMergePatch(target: Json, patch: Json, field?: string): Json {
  if (Array.isArray(patch) && field && MERGE_KEYS[field] && Array.isArray(target)) {
    const key = MERGE_KEYS[field]!;
    const result = clone(target) as JsonObject[];
    for (const item of patch) {
      if (!isObject(item)) continue;
      const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
      if (item.$patch === 'delete') {
        if (index !== -1) result.splice(index, 1);
        continue;
      }
      if (index === -1) result.push(clone(item));
      else result[index] = applyStrategicMergePatch(result[index], item) as JsonObject;
    }
    return result;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return clone(rest);
  }
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (value === null) delete result[key];
    else result[key] = applyStrategicMergePatch(result[key], value, key);
  }
  return result;
}
