import { Action, type RemediationStep } from '../domain/action.js';
import type { Signal } from '../domain/signal.js';
import { firstInvisible, stripInvisible } from '../domain/text-safety.js';

/**
 * Remediation templates: runbook front matter steps whose string values may
 * hold `{{placeholders}}`, filled from the Signal. Pure substitution in one
 * pass: no expressions, no filters, no code, and a substituted value is never
 * expanded again (a label value of "{{annotations.x}}" stays literal).
 *
 * Placeholders:
 *   {{labels.<name>}}  {{labels["<name>"]}}  {{annotations.<name>}}  {{annotations["<name>"]}}
 *   {{alertname}} {{service}} {{severity}} {{fingerprint}} {{status}} {{source}} {{groupKey}}
 *
 * An unknown placeholder, a missing label, a value with invisible characters
 * or one that would change a URL's or path's structure rejects the step with
 * a reason that names the placeholder; the result is then validated against
 * the Action schema (which refuses `../` paths, foreign-looking URLs, …).
 */
export const SCALAR_PLACEHOLDERS = ['alertname', 'service', 'severity', 'fingerprint', 'status', 'source', 'groupKey'] as const;
type Scalar = (typeof SCALAR_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const MAP_ACCESS = /^(labels|annotations)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\["([^"\\]+)"\])$/;
/** URL and path fields take only "segment-safe" values: nothing that adds a /, ?, #, @, : or .. */
const SEGMENT_SAFE = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;
const STRUCTURAL_FIELDS = new Set(['url', 'path']);
const MULTILINE_FIELDS = new Set(['message']);

export type TemplateResult = { ok: true; action: Action } | { ok: false; reasons: string[] };

interface Walk {
  signal: Signal;
  reasons: string[];
  where: string;
}

function resolve(expression: string, signal: Signal): { value?: string; problem?: string } {
  const trimmed = expression.trim();
  const map = MAP_ACCESS.exec(trimmed);
  if (map) {
    const [, root, dotted, bracketed] = map;
    const key = (dotted ?? bracketed)!;
    const source = root === 'labels' ? signal.labels : signal.annotations;
    const value = Object.hasOwn(source, key) ? source[key] : undefined;
    if (value === undefined) return { problem: `the alert has no ${root === 'labels' ? 'label' : 'annotation'} "${key}"` };
    return { value };
  }
  if ((SCALAR_PLACEHOLDERS as readonly string[]).includes(trimmed)) {
    const value = signal[trimmed as Scalar];
    if (value === undefined || value === '') return { problem: `the alert has no ${trimmed}` };
    return { value: String(value) };
  }
  return { problem: `unknown placeholder; use labels.<name>, annotations.<name> or one of ${SCALAR_PLACEHOLDERS.join(', ')}` };
}

function interpolateString(text: string, field: string, walk: Walk): string {
  const leafField = field.split('.').pop()!.replace(/\[\d+\]$/, '');
  const result = text.replace(PLACEHOLDER, (whole, expression: string) => {
    const shown = `{{${stripInvisible(expression).trim()}}}`;
    const { value, problem } = resolve(expression, walk.signal);
    if (problem || value === undefined) {
      walk.reasons.push(`${walk.where} field ${field}: placeholder ${shown}: ${problem}`);
      return whole;
    }
    const invisible = firstInvisible(value);
    if (invisible) {
      walk.reasons.push(`${walk.where} field ${field}: placeholder ${shown}: its value contains an invisible or control character (${invisible})`);
      return whole;
    }
    if (!MULTILINE_FIELDS.has(leafField) && /[\r\n]/.test(value)) {
      walk.reasons.push(`${walk.where} field ${field}: placeholder ${shown}: its value spans several lines`);
      return whole;
    }
    if (STRUCTURAL_FIELDS.has(leafField) && (!SEGMENT_SAFE.test(value) || value === '..')) {
      walk.reasons.push(`${walk.where} field ${field}: placeholder ${shown}: its value ${JSON.stringify(value.slice(0, 80))} would change the ${leafField}'s structure (only letters, digits, . _ ~ - are allowed here)`);
      return whole;
    }
    return value;
  });
  // Anything brace-like left over is a malformed placeholder (e.g. "{{ {{x}} }}" or "{{x").
  const leftover = text.replace(PLACEHOLDER, '');
  if (walk.reasons.length === 0 && (leftover.includes('{{') || leftover.includes('}}'))) {
    walk.reasons.push(`${walk.where} field ${field}: malformed placeholder in ${JSON.stringify(stripInvisible(text).slice(0, 120))}`);
  }
  return result;
}

function walkValue(value: unknown, field: string, walk: Walk): unknown {
  if (typeof value === 'string') return interpolateString(value, field, walk);
  if (Array.isArray(value)) return value.map((item, index) => walkValue(item, `${field}[${index}]`, walk));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('{{') || key.includes('}}')) {
        walk.reasons.push(`${walk.where} field ${field ? `${field}.` : ''}${key}: placeholders are not allowed in keys`);
        continue;
      }
      out[key] = walkValue(inner, field ? `${field}.${key}` : key, walk);
    }
    return out;
  }
  return value;
}

/** Fills one remediation step from the signal and validates it as an Action. `index` is 0-based. */
export function interpolateStep(step: RemediationStep, signal: Signal, index: number): TemplateResult {
  const walk: Walk = { signal, reasons: [], where: `remediation step ${index + 1} (${step.kind})` };
  const filled = walkValue(step, '', walk);
  if (walk.reasons.length > 0) return { ok: false, reasons: walk.reasons };
  const parsed = Action.safeParse(filled);
  if (parsed.success) return { ok: true, action: parsed.data };
  return {
    ok: false,
    reasons: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.') || '(step)';
      return `${walk.where} field ${path}: ${issue.message}`;
    }),
  };
}

/** Fills every step; the result is all actions, or every reason any step failed. */
export function interpolateSteps(steps: RemediationStep[], signal: Signal): { ok: true; actions: Action[] } | { ok: false; reasons: string[] } {
  const actions: Action[] = [];
  const reasons: string[] = [];
  steps.forEach((step, index) => {
    const result = interpolateStep(step, signal, index);
    if (result.ok) actions.push(result.action);
    else reasons.push(...result.reasons);
  });
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, actions };
}
