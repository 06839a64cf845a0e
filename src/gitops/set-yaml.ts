import { Composer, CST, Parser, isMap, isScalar, isSeq, parseAllDocuments, stringify, type Document, type Node, type Scalar } from 'yaml';
import type { JsonValue } from '../domain/action.js';
import { PitcrewError } from '../domain/errors.js';
import { missingPath, parseDocumentPath, type PathSegment } from './document-path.js';

export interface SetOperation {
  path: string;
  value: JsonValue;
  document?: number;
}

type Key = string | number;

function describeKeys(node: unknown): string {
  if (isMap(node)) return `keys: ${node.items.map((pair) => String((pair.key as Scalar | undefined)?.value ?? pair.key)).slice(0, 12).join(', ') || 'none'}`;
  if (isSeq(node)) return `a list of ${node.items.length}`;
  return 'a scalar value';
}

/** Walks the path, resolving `[field=value]` selectors to indices; throws naming the missing part. */
function resolveKeys(doc: Document, segments: PathSegment[], file: string, path: string): Key[] {
  const keys: Key[] = [];
  let node: unknown = doc.contents;
  segments.forEach((segment, at) => {
    if (segment.type === 'key') {
      if (!isMap(node) || !node.has(segment.key)) throw missingPath(file, path, segments, at, describeKeys(node));
      keys.push(segment.key);
      node = node.get(segment.key, true);
      return;
    }
    if (!isSeq(node)) throw missingPath(file, path, segments, at, describeKeys(node));
    const index = segment.type === 'index'
      ? segment.index
      : node.items.findIndex((item) => isMap(item) && String((item.get(segment.field, true) as Scalar | undefined)?.value) === segment.value);
    if (index < 0 || index >= node.items.length) throw missingPath(file, path, segments, at, describeKeys(node));
    keys.push(index);
    node = node.items[index];
  });
  return keys;
}

const isScalarValue = (value: JsonValue): value is string | number | boolean | null => value === null || typeof value !== 'object';

/** How to write a scalar so it reads back as exactly `value`, keeping the old quoting style when it can. */
function scalarSource(value: string | number | boolean | null, previous: Scalar.Type | undefined): { source: string; type: Scalar.Type } {
  if (typeof value !== 'string') return { source: value === null ? 'null' : String(value), type: 'PLAIN' };
  if (previous === 'QUOTE_DOUBLE' || previous === 'QUOTE_SINGLE') return { source: value, type: previous };
  const plainIsSafe = value !== '' && !/[\n#:]|^[\s\-?[\]{},&*!|>'"%@`]|\s$/.test(value) && stringify(value).trim() === value;
  return { source: value, type: plainIsSafe ? 'PLAIN' : 'QUOTE_DOUBLE' };
}

function documentAt(docs: Document[], index: number, file: string): Document {
  const doc = docs[index];
  if (!doc) throw new PitcrewError('patch_path_missing', `${file} has ${docs.length} YAML document(s); document ${index} does not exist`, 'Use a 0-based document index within the file.');
  if (doc.errors.length > 0) throw new PitcrewError('patch_invalid', `${file} is not valid YAML (document ${index}): ${doc.errors[0]!.message}`, 'Fix the file first; pitcrew does not patch files it cannot parse.');
  return doc;
}

/**
 * Sets values at paths in a YAML file, keeping comments, key order, quoting
 * and spacing. A scalar replacing a scalar is a minimal edit of that one
 * token (the rest of the file is byte-identical); anything else goes through
 * the Document API, which keeps comments but may re-flow the document.
 * Every path must already exist. The result is re-read and checked.
 */
export function setYamlPaths(content: string, operations: SetOperation[], file: string): string {
  const tokens = Array.from(new Parser().parse(content));
  const docs = Array.from(new Composer({ keepSourceTokens: true }).compose(tokens));
  const resolved = operations.map((operation) => {
    const doc = documentAt(docs, operation.document ?? 0, file);
    const keys = resolveKeys(doc, parseDocumentPath(operation.path), file, operation.path);
    return { operation, doc, keys, node: doc.getIn(keys, true) as Node | undefined };
  });

  let output: string;
  if (resolved.every(({ operation, node }) => isScalarValue(operation.value) && isScalar(node) && node.srcToken)) {
    for (const { operation, node } of resolved) {
      const scalar = node as Scalar;
      const { source, type } = scalarSource(operation.value as string | number | boolean | null, scalar.type);
      CST.setScalarValue(scalar.srcToken!, source, { type });
    }
    output = tokens.map((token) => CST.stringify(token)).join('');
  } else {
    const plain = parseAllDocuments(content);
    if (!Array.isArray(plain)) throw new PitcrewError('patch_invalid', `${file} is empty`, 'Patch a file that has content.');
    for (const { operation, keys } of resolved) documentAt(plain, operation.document ?? 0, file).setIn(keys, operation.value);
    output = plain.map((doc) => doc.toString()).join('');
  }

  const check = parseAllDocuments(output);
  for (const { operation, keys } of resolved) {
    const docs2 = Array.isArray(check) ? check : [];
    const actual = docs2[operation.document ?? 0]?.getIn(keys);
    const json = (v: unknown) => JSON.stringify(typeof v === 'object' && v !== null && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v);
    if (json(actual) !== JSON.stringify(operation.value)) {
      throw new PitcrewError('patch_invalid', `Setting ${operation.path} in ${file} did not read back as the intended value`, 'Set this value with a unified diff instead.');
    }
  }
  return output;
}
