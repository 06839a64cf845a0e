import { randomBytes } from 'node:crypto';
import { stripInvisible } from '../../domain/text-safety.js';

/**
 * Untrusted text reaches a model only inside a fence:
 *
 *   <<<DATA b=3f9c…e1 label="alert">>>
 *   …text…
 *   <<<END DATA b=3f9c…e1>>>
 *
 * `b` is a random boundary drawn per prompt, so text cannot close the fence
 * early by guessing it; and any fence-like sequence inside the text (runs of
 * < or >, "DATA b=" markers, in ASCII or in fullwidth/compatibility forms) is
 * neutralised before fencing, so the data cannot even look like a fence.
 * Text is NFKC-normalised and stripped of invisible and bidi characters, so
 * what the model reads is what a reviewer reads.
 */
export function newBoundary(): string {
  return randomBytes(12).toString('hex');
}

export function neutralize(text: string): string {
  return stripInvisible(text.normalize('NFKC'))
    .replace(/<{2,}/g, (run) => '‹'.repeat(run.length))
    .replace(/>{2,}/g, (run) => '›'.repeat(run.length))
    .replace(/\b(END\s+)?DATA\s+b=/gi, (whole) => whole.replace(/=/, '≈'));
}

export function fence(label: string, text: string, boundary: string): string {
  const safeLabel = label.replace(/[^A-Za-z0-9 _.:/-]/g, '').slice(0, 80);
  return `<<<DATA b=${boundary} label="${safeLabel}">>>\n${neutralize(text)}\n<<<END DATA b=${boundary}>>>`;
}
