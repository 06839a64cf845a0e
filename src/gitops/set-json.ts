import { applyEdits, findNodeAtLocation, modify, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { PitcrewError } from '../domain/errors.js';
import { missingPath, parseDocumentPath, type PathSegment } from './document-path.js';
import type { SetOperation } from './set-yaml.js';

/** Indentation the file already uses (tabs or N spaces), so new text matches it. */
export function detectIndent(content: string): { insertSpaces: boolean; tabSize: number } {
  const indents = content.split('\n').map((line) => /^([ \t]+)\S/.exec(line)?.[1]).filter((i): i is string => i !== undefined);
  if (indents.some((i) => i.startsWith('\t'))) return { insertSpaces: false, tabSize: 1 };
  const smallest = indents.reduce((min, i) => Math.min(min, i.length), Infinity);
  return { insertSpaces: true, tabSize: Number.isFinite(smallest) ? smallest : 2 };
}

function describe(node: Node | undefined): string {
  if (node?.type === 'object') return `keys: ${(node.children ?? []).map((p) => String(p.children?.[0]?.value)).slice(0, 12).join(', ') || 'none'}`;
  if (node?.type === 'array') return `a list of ${node.children?.length ?? 0}`;
  return 'a scalar value';
}

function resolve(root: Node, segments: PathSegment[], file: string, path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  let node: Node | undefined = root;
  segments.forEach((segment, at) => {
    if (segment.type === 'key') {
      const next: Node | undefined = node?.type === 'object' ? findNodeAtLocation(node, [segment.key]) : undefined;
      if (!next) throw missingPath(file, path, segments, at, describe(node));
      keys.push(segment.key);
      node = next;
      return;
    }
    const items: Node[] = node?.type === 'array' ? node.children ?? [] : [];
    const index = segment.type === 'index'
      ? segment.index
      : items.findIndex((item) => item.type === 'object' && String(findNodeAtLocation(item, [segment.field])?.value) === segment.value);
    if (node?.type !== 'array' || index < 0 || index >= items.length) throw missingPath(file, path, segments, at, describe(node));
    keys.push(index);
    node = items[index];
  });
  return keys;
}

/**
 * Sets values at paths in a JSON file with minimal edits: only the value's
 * text changes; key order, indentation, spacing and the final newline stay.
 * Every path must already exist.
 */
export function setJsonPaths(content: string, operations: SetOperation[], file: string): string {
  let output = content;
  for (const operation of operations) {
    const errors: ParseError[] = [];
    const root = parseTree(output, errors, { allowTrailingComma: false, disallowComments: false });
    if (!root || errors.length > 0) throw new PitcrewError('patch_invalid', `${file} is not valid JSON (error at offset ${errors[0]?.offset ?? 0})`, 'Fix the file first; pitcrew does not patch files it cannot parse.');
    if (operation.document !== undefined && operation.document !== 0) throw new PitcrewError('patch_invalid', `${file} is JSON, which has one document; got document ${operation.document}`, 'Remove "document" from the set operation.');
    const keys = resolve(root, parseDocumentPath(operation.path), file, operation.path);
    const edits = modify(output, keys, operation.value, { formattingOptions: { ...detectIndent(output), eol: output.includes('\r\n') ? '\r\n' : '\n' } });
    output = applyEdits(output, edits);
  }
  return output;
}
