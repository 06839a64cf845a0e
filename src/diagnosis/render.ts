import { CATEGORY_ADVICE } from './categories.js';
import type { Diagnosis } from './diagnose.js';
import type { FixOffer } from './fix-offers.js';
import type { BrokenTrunkDecision, FlakyDecision } from './history.js';
import { sanitizeForDisplay } from './normalize.js';
import type { SimilarFailure } from './similar.js';

/** Marks pitcrew's CI comment, so it is found and edited in place instead of posting another. */
export const COMMENT_MARKER = '<!-- pitcrew:ci-diagnosis -->';

export interface JobReport {
  job: string;
  workflow?: string;
  /** Link to the job's log page. */
  url?: string;
  diagnosis: Diagnosis;
  similar?: SimilarFailure[];
  flaky?: FlakyDecision;
  brokenTrunk?: BrokenTrunkDecision;
  /** Why similar failures are missing, when the search failed. */
  similarError?: string;
  /** Fixes pitcrew can propose through a PR and the approval gate. */
  offers?: FixOffer[];
}

/** Another workflow still failing on the same commit (shown in one line; its details were in an earlier update). */
export interface OtherFailingWorkflow {
  workflow: string;
  url?: string;
  jobs: Array<{ job: string; category: Diagnosis['category'] }>;
}

export interface FailingComment {
  state: 'failing';
  sha: string;
  runUrl?: string;
  /** Jobs that failed; the rest of the run passed. */
  jobs: JobReport[];
  /** Other workflows failing on the same commit. */
  others?: OtherFailingWorkflow[];
  updatedAt: number;
}

export interface ResolvedComment {
  state: 'resolved';
  sha: string;
  runUrl?: string;
  updatedAt: number;
  /** What the comment said before CI turned green. */
  previous?: { sha: string; jobs: Array<{ job: string; category: Diagnosis['category'] }> };
}

export type CommentInput = FailingComment | ResolvedComment;

export interface RenderOptions {
  /**
   * Secret redaction for every piece of log text. Supplied by the caller
   * (the planning side owns the redactor); the renderer never shows log
   * text it did not pass through this.
   */
  redact: (text: string) => string;
  /** Evidence lines shown before the rest is folded away. */
  visibleLines?: number;
  /** Longest line shown, in characters. */
  maxLineLength?: number;
}

/** The word after `/pitcrew fix` that asks for each kind of fix. */
export const OFFER_WORDS: Record<FixOffer['kind'], string> = { rerun_failed_jobs: 'rerun', regenerate_lockfile: 'lockfile', update_snapshots: 'snapshots' };

/** GitHub rejects comments over 65,536 characters; stay well under. */
const MAX_COMMENT = 60_000;

/**
 * The PR comment: a summary line an on-call engineer reads in five seconds,
 * then per failed job its category, the lines that explain it, the likely
 * cause, a suggested fix and similar past failures. Long parts are folded in
 * <details>. Pure: same input, same markdown.
 */
export function renderComment(input: CommentInput, options: RenderOptions): string {
  const text = input.state === 'resolved' ? renderResolved(input) : renderFailing(input, options);
  return text.length <= MAX_COMMENT ? text : `${text.slice(0, MAX_COMMENT - 200)}\n\n… (truncated: the diagnosis was longer than a GitHub comment allows)\n`;
}

function renderFailing(input: FailingComment, options: RenderOptions): string {
  const jobs = input.jobs;
  const out: string[] = [COMMENT_MARKER];
  const count = jobs.length === 1 ? '1 job' : `${jobs.length} jobs`;
  const kinds = jobs.map((j) => `${CATEGORY_ADVICE[j.diagnosis.category].title.toLowerCase()} in ${code(j.job)}`);
  const flags = [
    jobs.some((j) => j.flaky?.flaky) ? 'likely flaky' : '',
    jobs.some((j) => j.brokenTrunk?.brokenTrunk) ? 'base branch broken' : '',
  ].filter(Boolean);
  out.push(`### ❌ CI failed: ${count} — ${summarize(kinds)}${flags.length ? ` (${flags.join(', ')})` : ''}`);
  out.push(`<sub>commit ${code(input.sha.slice(0, 7))}${input.runUrl ? ` · [workflow run](${input.runUrl})` : ''} · updated ${utc(input.updatedAt)} · pitcrew</sub>`);
  for (const other of input.others ?? []) {
    const listed = other.jobs.map((j) => `${code(j.job)} (${CATEGORY_ADVICE[j.category].title.toLowerCase()})`).join(', ');
    out.push(`<sub>also failing on this commit: ${other.url ? `[${code(other.workflow)}](${other.url})` : code(other.workflow)} — ${listed}</sub>`);
  }
  for (const job of jobs) out.push('', ...renderJob(job, options));
  return `${out.join('\n')}\n`;
}

function renderJob(job: JobReport, options: RenderOptions): string[] {
  const { diagnosis } = job;
  const advice = CATEGORY_ADVICE[diagnosis.category];
  const out: string[] = [];
  const step = diagnosis.failedStep?.name ? ` · step ${code(oneLine(options.redact(diagnosis.failedStep.name), 80))}` : '';
  out.push(`#### ${code(job.job)} — ${advice.title}${step}${job.url ? ` · [log](${job.url})` : ''}`);
  if (job.brokenTrunk?.brokenTrunk) out.push(`> 🚧 **Not caused by this PR:** ${escapeText(job.brokenTrunk.reasons.join('; '))}.`);
  else if (job.brokenTrunk?.baseFailsDifferently) out.push(`> ℹ️ ${escapeText(job.brokenTrunk.reasons.join('; '))}.`);
  if (job.flaky?.flaky) out.push(`> 🔁 **Likely flaky:** ${escapeText(job.flaky.reasons.join('; '))}. A re-run may pass.`);

  out.push(...renderEvidence(diagnosis, options));
  out.push('', `**Likely cause:** ${advice.likelyCause}`, `**Suggested fix:** ${advice.suggestedFix}`);
  for (const offer of job.offers ?? []) {
    const command = 'command' in offer ? ` (${code(offer.command)})` : '';
    out.push(`**pitcrew can do it:** ${offer.title}${command} — reply ${code(`/pitcrew fix ${OFFER_WORDS[offer.kind]}`)} to get a fix PR to approve (${escapeText(oneLine(offer.why, 160))}).`);
  }

  if (job.similar && job.similar.length > 0) {
    out.push('', `<details><summary>Similar past failures (${job.similar.length})</summary>`, '');
    for (const s of job.similar) {
      const title = escapeText(oneLine(options.redact(s.title), 120));
      const when = s.occurredAt ? ` · ${utc(s.occurredAt).slice(0, 10)}` : '';
      const fix = s.resolution ? ` · fixed by ${escapeText(oneLine(options.redact(s.resolution), 80))}` : '';
      out.push(`- ${s.url ? `[${title}](${s.url})` : title}${when}${fix}`);
    }
    out.push('', '</details>');
  }
  const why = [
    `category ${code(diagnosis.category)}, confidence ${Math.round(diagnosis.confidence * 100)}%${diagnosis.learned ? ', from diagnoses confirmed in this repository' : ''}`,
    `signature ${code(diagnosis.signature.id)}`,
    ...diagnosis.reasons.slice(0, 4).map((r) => escapeText(options.redact(r))),
    ...(job.similarError ? [`similar failures unavailable: ${escapeText(oneLine(job.similarError, 120))}`] : []),
    ...diagnosis.warnings.map((w) => `⚠️ ${escapeText(oneLine(options.redact(w), 200))}`),
  ];
  out.push('', '<details><summary>Why this diagnosis</summary>', '', ...why.map((w) => `- ${w}`), '', 'React 👍 if it is right, or reply `/pitcrew confirm` — pitcrew learns this repository\'s log shapes from confirmations.', '', '</details>');
  return out;
}

function renderEvidence(diagnosis: Diagnosis, options: RenderOptions): string[] {
  const maxLen = options.maxLineLength ?? 240;
  const visible = options.visibleLines ?? 12;
  const lines: string[] = [];
  let previousEnd = -1;
  for (const block of diagnosis.blocks) {
    if (previousEnd !== -1 && block.start > previousEnd + 1) lines.push('⋮');
    for (const line of block.lines) lines.push(clip(sanitizeForDisplay(options.redact(line.text)).replace(/\s+$/, ''), maxLen));
    if (block.elided > 0) lines.push(`… (${block.elided} more lines)`);
    previousEnd = block.end;
  }
  if (lines.length === 0) return ['', '_No lines in the log explain this failure; open the log above._'];
  const range = diagnosis.blocks.map((b) => (b.start === b.end ? `${b.start}` : `${b.start}–${b.end}`)).join(', ');
  const where = `<sub>log line${diagnosis.lineNumbers.length === 1 ? '' : 's'} ${range}</sub>`;
  if (lines.length <= visible + 3) return ['', fence(lines), where];
  return [
    '',
    fence(lines.slice(0, visible)),
    `<details><summary>${lines.length - visible} more lines</summary>`,
    '',
    fence(lines.slice(visible)),
    '',
    '</details>',
    where,
  ];
}

function renderResolved(input: ResolvedComment): string {
  const out = [COMMENT_MARKER, '### ✅ Resolved: CI is green again'];
  out.push(`<sub>commit ${code(input.sha.slice(0, 7))} passed${input.runUrl ? ` · [workflow run](${input.runUrl})` : ''} · updated ${utc(input.updatedAt)} · pitcrew</sub>`);
  if (input.previous && input.previous.jobs.length > 0) {
    out.push('', `<details><summary>Earlier failure on ${code(input.previous.sha.slice(0, 7))}</summary>`, '');
    for (const job of input.previous.jobs) out.push(`- ${code(job.job)}: ${CATEGORY_ADVICE[job.category].title.toLowerCase()}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}

function summarize(parts: string[]): string {
  if (parts.length <= 2) return parts.join(', ');
  return `${parts.slice(0, 2).join(', ')} and ${parts.length - 2} more`;
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fence(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${lines.join('\n')}\n${ticks}`;
}

function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${clean} ${ticks}` : `${ticks}${clean}${ticks}`;
}

/** Text outside code: no HTML, no accidental @mentions or #references. */
function escapeText(text: string): string {
  return sanitizeForDisplay(text).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!).replace(/@(?=\w)/g, '@\u200b');
}

function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface ExistingComment {
  id: number;
  body: string;
  /** Whether pitcrew itself wrote it; comments by others that quote the marker are never edited. */
  byPitcrew: boolean;
}

export type CommentAction = { kind: 'create' } | { kind: 'update'; id: number } | { kind: 'none'; id?: number };

/**
 * What to do with the PR's comments for a new rendering: one comment per
 * PR, edited in place. Nothing is posted to say "resolved" on a PR that never
 * had a failure comment, and an unchanged body is not re-sent.
 */
export function commentAction(existing: ExistingComment[], body: string): CommentAction {
  const ours = existing.find((c) => c.byPitcrew && c.body.startsWith(COMMENT_MARKER));
  if (!ours) return isResolvedBody(body) ? { kind: 'none' } : { kind: 'create' };
  if (ours.body === body) return { kind: 'none', id: ours.id };
  return { kind: 'update', id: ours.id };
}

function isResolvedBody(body: string): boolean {
  return body.split('\n')[1]?.startsWith('### ✅') === true;
}
