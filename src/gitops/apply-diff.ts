import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { PitcrewError } from '../domain/errors.js';

function stripPrefix(name: string | undefined): string | undefined {
  return name?.replace(/^[ab]\//, '').replace(/\t.*$/, '');
}

/**
 * Applies a unified diff to one file's content, exactly (no fuzz). The diff
 * must touch one file, and if it names the file, that name must be `file`.
 * When it does not apply, the error names the first hunk that does not match.
 */
export function applyUnifiedDiff(content: string, diff: string, file: string): string {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(diff);
  } catch (error) {
    throw new PitcrewError('patch_invalid', `The diff for ${file} is not a unified diff: ${(error as Error).message}`, 'Produce it with `git diff` or `diff -u`.');
  }
  if (patches.length !== 1 || patches[0]!.hunks.length === 0) {
    throw new PitcrewError('patch_invalid', `The diff for ${file} must change exactly one file with at least one hunk (found ${patches.length} file(s))`, 'Split multi-file diffs into one gitops.patch action per file.');
  }
  const patch = patches[0]!;
  const named = [...new Set([stripPrefix(patch.oldFileName), stripPrefix(patch.newFileName)])].filter((n) => n && n !== '/dev/null');
  if (named.length > 0 && !named.some((name) => name === file)) {
    throw new PitcrewError('patch_invalid', `The diff names ${named.join(' / ')} but the action patches ${file}`, 'Make the action path and the diff header agree.');
  }
  const result = applyPatch(content, patch, { fuzzFactor: 0 });
  if (result !== false) return result;
  const failing = patch.hunks.findIndex((hunk) => applyPatch(content, { ...patch, hunks: [hunk] }, { fuzzFactor: 0 }) === false);
  const hunk = patch.hunks[Math.max(0, failing)]!;
  throw new PitcrewError('patch_does_not_apply',
    `The diff does not apply to ${file}: hunk ${Math.max(0, failing) + 1} (@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@) does not match the file's lines ${hunk.oldStart}–${hunk.oldStart + hunk.oldLines - 1}`,
    'The file changed since the diff was written: regenerate the diff against the current file.');
}
