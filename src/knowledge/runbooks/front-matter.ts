import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod/v4';
import { RemediationStep, Risk } from '../../domain/action.js';

/**
 * Optional YAML front matter of a runbook:
 *
 * ```yaml
 * ---
 * title: Pod is crash-looping
 * alerts: [KubePodCrashLooping]
 * services: [payments-api]
 * tags: [kubernetes, pods]
 * remediation:
 *   - kind: kubernetes.rollout_restart
 *     namespace: "{{labels.namespace}}"
 *     name: "{{labels.deployment}}"
 * risk: medium            # floor for every remediation step's risk
 * rollback: [Undo the restart is not needed; pods come back on their own]
 * verify_minutes: 15      # how long the alert has to clear after the fix runs
 * ---
 * ```
 *
 * Every field is optional; plain markdown works without any of it.
 */
const names = z
  .union([z.string().min(1), z.array(z.string().min(1, { error: 'must not be empty' }))], { error: 'must be a name or a list of names' })
  .transform((value) => (typeof value === 'string' ? [value] : value))
  .default([]);

export const RunbookFrontMatter = z.object({
  title: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).optional(),
  /** Alert names this runbook answers (routed to exactly, before any search). */
  alerts: names,
  /** Services it is about; alerts whose `service`/`app`/… label names one are boosted. */
  services: names,
  tags: names,
  /** Typed remediation steps; parameters may hold `{{labels.x}}` placeholders. */
  remediation: z.array(RemediationStep, { error: 'must be a list of steps, each with a known "kind"' }).default([]),
  /** Raises every remediation step's risk to at least this (policy may raise it further, never lower). */
  risk: Risk.optional(),
  /** Human rollback steps, in order; derived from the actions when absent. */
  rollback: z.array(z.string().min(1), { error: 'must be a list of steps' }).optional(),
  /** How long the signal has to clear after execution before a revert is proposed. */
  verify_minutes: z.number({ error: 'must be a number of minutes' }).int().min(1).max(1440).optional(),
});
export type RunbookFrontMatter = z.infer<typeof RunbookFrontMatter>;

const KNOWN_KEYS = Object.keys(RunbookFrontMatter.shape);

export type FrontMatterResult =
  | { ok: true; frontMatter: RunbookFrontMatter | undefined; body: string; bodyLine: number; warnings: string[] }
  | { ok: false; line: number; message: string };

const OPEN = /^---[ \t]*\r?\n/;

/** Splits and validates front matter. A file without a leading `---` line has none, which is fine. */
export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.replace(/^\uFEFF/, '');
  if (!OPEN.test(source)) return { ok: true, frontMatter: undefined, body: source, bodyLine: 1, warnings: [] };
  const lines = source.split(/\r?\n/);
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)[ \t]*$/.test(line));
  if (end < 0) return { ok: false, line: 1, message: 'front matter starts with "---" but has no closing "---" line' };

  const yamlText = lines.slice(1, end).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // Line numbers are of the file: the YAML starts on line 2.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const [yamlError] = doc.errors;
  if (yamlError) return { ok: false, line: fileLine(yamlError.pos[0]), message: `invalid YAML: ${firstLine(yamlError.message)}` };

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, line: 2, message: 'front matter must be a mapping of keys (title, alerts, services, tags, remediation)' };

  const parsed = RunbookFrontMatter.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as Array<string | number>, true);
    const parentNode = doc.getIn(issue.path.slice(0, -1) as Array<string | number>, true);
    const range = (isNode(node) && node.range) || (isNode(parentNode) && parentNode.range) || undefined;
    const line = range ? fileLine(range[0]) : 2;
    return { ok: false, line, message: `${issue.path.length > 0 ? issue.path.join('.') : 'front matter'}: ${issue.message}` };
  }

  const warnings = Object.keys(raw)
    .filter((key) => !KNOWN_KEYS.includes(key))
    .flatMap((key) => {
      const near = KNOWN_KEYS.find((known) => editDistance(key.toLowerCase(), known) <= 2);
      return near ? [`unknown key "${key}" (did you mean "${near}"?); it is ignored`] : [];
    });
  return { ok: true, frontMatter: parsed.data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2, warnings };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
