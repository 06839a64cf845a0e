import type { Logger } from '../../ops/logger.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { fence, newBoundary } from '../../planner/llm/fence.js';
import { loadPrompt } from '../../planner/llm/prompts.js';
import type { Handoff } from './model.js';

/**
 * The optional narrative: two or three sentences a model writes from the
 * structured handoff, and only from it. The data goes in redacted and
 * fenced (I3); what comes back is data too: plain text, at most three
 * sentences, and every number in it must appear in the structured data,
 * or it is dropped. The structured summary never depends on it.
 */
export interface HandoffNarrator {
  /** `provider:model`, shown in the label. */
  readonly model: string;
  complete(system: string, user: string): Promise<string>;
}

export interface NarrativeDeps {
  narrator: HandoffNarrator;
  redactor: Redactor;
  log: Logger;
}

const MAX_SENTENCES = 3;
const MAX_CHARS = 600;

export async function addNarrative(handoff: Handoff, deps: NarrativeDeps): Promise<Handoff> {
  try {
    const data = JSON.stringify(await deps.redactor.redactDeep(narrativeInput(handoff)));
    const boundary = newBoundary();
    const system = loadPrompt('handoff.system').render({ boundary });
    const user = loadPrompt('handoff.user').render({ data: fence('handoff', data, boundary) });
    const reply = await deps.narrator.complete(system, user);
    const checked = checkNarrative(reply, data);
    if (!checked.ok) {
      deps.log.warn({ model: deps.narrator.model, problem: checked.problem }, 'handoff narrative dropped');
      return handoff;
    }
    return { ...handoff, narrative: { text: checked.text, model: deps.narrator.model } };
  } catch (error) {
    deps.log.warn({ model: deps.narrator.model, err: (error as Error).message }, 'handoff narrative failed; sending the structured summary alone');
    return handoff;
  }
}

/** What the model sees: the headline and each section's items, without URLs (it must not copy links). */
export function narrativeInput(handoff: Handoff): Record<string, unknown> {
  return {
    quiet: handoff.quiet,
    headline: handoff.headline,
    openIncidents: handoff.openIncidents.slice(0, 10).map((i) => ({ number: `#${i.number}`, severity: i.severity, title: i.title, state: i.state, owner: i.owner, nextStep: i.nextStep })),
    resolved: handoff.resolved.items.slice(0, 10).map((i) => ({ number: `#${i.number}`, title: i.title })),
    remediations: handoff.remediations.items.slice(0, 10).map((e) => ({ pr: `${e.repo}#${e.prNumber}`, outcome: e.outcome, verification: e.verification.status })),
    waitingPulls: handoff.waitingPulls.slice(0, 10).map((p) => ({ pr: `${p.repo}#${p.number}`, title: p.title, review: p.review })),
    noisyAlerts: handoff.noisyAlerts.slice(0, 5).map((a) => ({ alert: a.alert, firings: a.firings, flapping: a.flapping })),
    ciCategories: handoff.ci.categories.slice(0, 5),
    overrides: handoff.overrides.slice(0, 10).map((o) => ({ pr: `${o.repo}#${o.number}`, kind: o.kind, by: o.by })),
    paused: handoff.controls.pause.paused,
    breaker: handoff.controls.breaker.state,
  };
}

export function checkNarrative(reply: string, data: string): { ok: true; text: string } | { ok: false; problem: string } {
  const text = reply.replace(/```[a-z]*\n?/gi, '').replace(/\s+/g, ' ').trim();
  if (text === '') return { ok: false, problem: 'empty reply' };
  if (/https?:\/\/|<<<|>>>/i.test(text)) return { ok: false, problem: 'reply holds a link or a fence' };
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [text];
  const kept = sentences.slice(0, MAX_SENTENCES).join('').trim();
  if (kept.length > MAX_CHARS) return { ok: false, problem: `reply longer than ${MAX_CHARS} characters` };
  const known = new Set(data.match(/\d+/g) ?? []);
  const unknown = (kept.match(/\d+/g) ?? []).filter((n) => !known.has(n));
  if (unknown.length > 0) return { ok: false, problem: `numbers not in the data: ${[...new Set(unknown)].slice(0, 5).join(', ')}` };
  return { ok: true, text: kept };
}
