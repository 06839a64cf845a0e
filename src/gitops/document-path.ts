import { PitcrewError } from '../domain/errors.js';

/**
 * A path into a YAML or JSON document, parsed from the syntax the Action
 * schema accepts: `spec.replicas`, `containers[0].image`,
 * `labels["app.kubernetes.io/name"]`, `containers[name=api].image`.
 */
export type PathSegment =
  | { type: 'key'; key: string }
  | { type: 'index'; index: number }
  | { type: 'match'; field: string; value: string };

const SEGMENT = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"\\]*)"\]|\[([A-Za-z_][\w-]*)=([\w.:/-]+)\]/y;

export function parseDocumentPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(path);
    if (!match || (start === 0 && path.startsWith('.'))) {
      throw new PitcrewError('patch_invalid', `Document path ${JSON.stringify(path)} is malformed at character ${start + 1}`, 'Use dot and bracket segments such as spec.replicas, items[0].name, labels["app.kubernetes.io/name"] or containers[name=api].image.');
    }
    const [, key, index, quoted, field, value] = match;
    if (key !== undefined) segments.push({ type: 'key', key });
    else if (index !== undefined) segments.push({ type: 'index', index: Number(index) });
    else if (quoted !== undefined) segments.push({ type: 'key', key: quoted });
    else segments.push({ type: 'match', field: field!, value: value! });
  }
  return segments;
}

export function formatSegments(segments: PathSegment[]): string {
  return segments
    .map((segment, i) => {
      if (segment.type === 'index') return `[${segment.index}]`;
      if (segment.type === 'match') return `[${segment.field}=${segment.value}]`;
      return /^[A-Za-z_$][\w$-]*$/.test(segment.key) ? `${i === 0 ? '' : '.'}${segment.key}` : `["${segment.key}"]`;
    })
    .join('') || '(root)';
}

/** The error for a path that does not exist, naming the part that exists and what is there instead. */
export function missingPath(file: string, path: string, segments: PathSegment[], at: number, available: string): PitcrewError {
  const found = formatSegments(segments.slice(0, at));
  const missing = formatSegments(segments.slice(0, at + 1));
  return new PitcrewError('patch_path_missing', `Path ${path} does not exist in ${file}: ${missing} is not there${at > 0 ? ` (${found} exists; ${available})` : ` (${available})`}`,
    'Check the runbook remediation: the path must already exist in the file (pitcrew edits values, it does not add keys).');
}
