import type { Diagnosis } from './diagnose.js';

/** A GitHub check-run annotation (the shape of `output.annotations[]`). */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

/** GitHub accepts at most 50 annotations per request. */
export const MAX_ANNOTATIONS = 50;

const LOCATIONS: RegExp[] = [
  /(?:^|\s|\[\w+\]\s)((?:\.{0,2}\/)?[\w@./+-]+\.[A-Za-z]\w{0,6})\((\d+),(\d+)\)/, // tsc, C#: file(12,5)
  /(?:^|\s|\[\w+\]\s)((?:\.{0,2}\/)?[\w@./+-]+\.[A-Za-z]\w{0,6}):\[(\d+),(\d+)\]/, // maven: file:[12,5]
  /-->\s+((?:\.{0,2}\/)?[\w@./+-]+\.[A-Za-z]\w{0,6}):(\d+):(\d+)/, // rustc
  /File "([^"]+)", line (\d+)/, // python
  /(?:^|\s|\[\w+\]\s|\()((?:\.{0,2}\/)?[\w@./+-]+\.[A-Za-z]\w{0,6}):(\d+)(?::(\d+))?/, // file:line[:col]
];

/** Where third-party code lives: never annotate it. */
const FOREIGN = /(?:^|\/)(?:node_modules|site-packages|dist-packages|vendor|\.cargo|\.rustup|rustc|go\/pkg\/mod|\.m2|\.gradle|\.ivy2|usr\/(?:lib|include|local))\//;
const CHECKOUT = /^(?:\/home\/runner\/work\/[^/]+\/[^/]+\/|\/home\/travis\/build\/[^/]+\/[^/]+\/|\/github\/workspace\/|\/builds\/[^/]+\/[^/]+\/|\/__w\/[^/]+\/[^/]+\/|\.\/)/;

/** A repository-relative path, or undefined for files outside the checkout. */
export function repoRelativePath(path: string, repoRoot?: string): string | undefined {
  let p = path.replace(/\\/g, '/');
  if (repoRoot && p.startsWith(repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`)) p = p.slice(repoRoot.length + (repoRoot.endsWith('/') ? 0 : 1));
  p = p.replace(CHECKOUT, '');
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p) || p.startsWith('../') || p.includes('/../') || FOREIGN.test(p)) return undefined;
  if (!/\.[A-Za-z]\w{0,6}$/.test(p)) return undefined;
  return p;
}

/**
 * Annotations at file:line for compiler and test errors found in the
 * evidence: one per distinct location, the evidence line as the message.
 */
export function checkAnnotations(diagnosis: Diagnosis, redact: (text: string) => string, options: { repoRoot?: string } = {}): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  const seen = new Set<string>();
  const level = diagnosis.category === 'lint_error' ? 'warning' : 'failure';
  for (const block of diagnosis.blocks) {
    for (const line of block.lines) {
      if (line.weight < 1 && line.role !== 'context') continue;
      for (const re of LOCATIONS) {
        const m = re.exec(line.text);
        if (!m) continue;
        const path = repoRelativePath(m[1]!, options.repoRoot);
        const lineNo = Number(m[2]);
        if (!path || !Number.isInteger(lineNo) || lineNo < 1) break;
        const key = `${path}:${lineNo}`;
        if (seen.has(key)) break;
        seen.add(key);
        const annotation: CheckAnnotation = {
          path,
          start_line: lineNo,
          end_line: lineNo,
          annotation_level: level,
          title: titleFor(diagnosis),
          message: redact(line.text.trim()).slice(0, 1_000),
        };
        if (m[3]) annotation.start_column = Number(m[3]);
        out.push(annotation);
        break;
      }
      if (out.length >= MAX_ANNOTATIONS) return out;
    }
  }
  return out;
}

function titleFor(diagnosis: Diagnosis): string {
  return `pitcrew: ${diagnosis.category.replace(/_/g, ' ')}`;
}
