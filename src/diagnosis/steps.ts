import { detach } from './block.js';
import type { NormalizedLine } from './normalize.js';

export type StepStatus = 'failed' | 'passed' | 'unknown';

/** One step of a job: a GitHub Actions step, a Travis command, a Jenkins build step. */
export interface Step {
  index: number;
  /** First line (1-based). */
  start: number;
  /** Last line, once known. */
  end: number;
  name?: string;
  status: StepStatus;
  exitCode?: number;
  /** The line that says the step failed ("Process completed with exit code 1."). */
  failureLine?: number;
}

const TRAVIS_EXIT = /" exited with (\d+)\.\s*$/;
const TRAVIS_COMMAND = /^The command "(.{1,80})/;
const TRAVIS_FAILED_DURING = /" failed and exited with (\d+) during /;
const TRAVIS_FAILED_TIMES = /^The command ".*" failed \d+ times\.?\s*$/;
const GH_EXIT = /^(?:Error: )?Process completed with exit code (\d+)\.?/;
const JENKINS_FAILED = /^Build step '.*' marked build as failure$|^ERROR: script returned exit code (\d+)$|^ERROR: Job failed: (?:exit code (\d+))?/;
const TIMEOUT_END = /^No output has been received in the last \d+m|^The job exceeded the maximum time limit|exceeded the maximum execution time of \d+ minutes/;

/** More steps than this are folded into the last one; keeps memory bounded on pathological logs. */
const MAX_STEPS = 20_000;

/**
 * Finds step boundaries and the steps that failed, one line at a time.
 * Recognizes GitHub Actions (`##[group]Run …`, `##[error]Process completed
 * with exit code N`), `gh run view --log` prefixes, Travis (`The command "…"
 * exited with N.`), Jenkins and GitLab end markers.
 */
export class StepTracker {
  readonly steps: Step[] = [];
  private current: Step;
  private lastLabel: string | undefined;
  /** Recent `$ command` echoes (Travis), to find where a failed command started. */
  private commands: Array<{ line: number; command: string }> = [];

  constructor() {
    this.current = { index: 0, start: 1, end: 0, status: 'unknown' };
    this.steps.push(this.current);
  }

  get currentIndex(): number {
    return this.current.index;
  }

  /** A line with nothing for the tracker: it only extends the current step. */
  touch(lineNo: number): void {
    this.current.end = lineNo;
  }

  /** Returns true when this line ended a failed step. */
  push(lineNo: number, line: NormalizedLine): boolean {
    this.current.end = lineNo;
    const text = line.text;

    if (line.stepLabel !== undefined && line.stepLabel !== this.lastLabel) {
      if (this.lastLabel !== undefined) this.begin(lineNo, detach(line.stepLabel.split('\t')[1] ?? ''));
      else this.current.name = detach(line.stepLabel.split('\t')[1] ?? '');
      this.lastLabel = detach(line.stepLabel);
    }
    if (line.gh === 'group' && text.startsWith('Run ')) {
      this.begin(lineNo, detach(text.slice(4, 200)));
      return false;
    }
    if (line.gh === undefined && text === 'Post job cleanup.') {
      this.begin(lineNo, 'Post job cleanup');
      return false;
    }
    const c = text.charCodeAt(0);
    if (line.gh === 'error' || c === 69 /* E */ || c === 80 /* P */) {
      const m = GH_EXIT.exec(text);
      if (m) return this.finish(lineNo, Number(m[1]), true);
    }
    if (line.gh === 'error') {
      if (TIMEOUT_END.test(text)) return this.finish(lineNo, 124, true);
      // Any ##[error] annotation turns the step red, even without an exit code line.
      this.current.status = 'failed';
      this.current.failureLine ??= lineNo;
      this.current.exitCode ??= 1;
      return false;
    }
    if (c === 36 /* $ */ && text.charCodeAt(1) === 32) {
      this.commands.push({ line: lineNo, command: detach(text.slice(2, 82)) });
      if (this.commands.length > 64) this.commands.shift();
    }
    if (text.indexOf('" ') !== -1) {
      const exit = TRAVIS_EXIT.exec(text) ?? TRAVIS_FAILED_DURING.exec(text);
      if (exit) {
        this.startAtCommand(text);
        return this.finish(lineNo, Number(exit[1]), false);
      }
      if (TRAVIS_FAILED_TIMES.test(text)) return this.finish(lineNo, 1, false);
    }
    if (c === 66 /* B */ || c === 69 /* E */) {
      const m = JENKINS_FAILED.exec(text);
      if (m) return this.finish(lineNo, Number(m[1] ?? m[2] ?? 1), false);
    }
    if ((c === 78 /* N */ || c === 84 /* T */) && TIMEOUT_END.test(text)) return this.finish(lineNo, 124, false);
    return false;
  }

  /** A Travis command's step starts at its `$ command` echo, not at the previous marker. */
  private startAtCommand(marker: string): void {
    const m = TRAVIS_COMMAND.exec(marker);
    if (!m) return;
    const wanted = m[1]!;
    for (let i = this.commands.length - 1; i >= 0; i--) {
      const { line, command } = this.commands[i]!;
      if (line < this.current.start) break;
      if (!(command.startsWith(wanted) || wanted.startsWith(command) || wanted.startsWith(`eval ${command}`))) continue;
      this.begin(line, command);
      return;
    }
  }

  /** Marks the current step finished with `code`; the next line starts a new step unless `stay`. */
  private finish(lineNo: number, code: number, stay: boolean): boolean {
    const step = this.current;
    step.exitCode = code;
    step.status = code === 0 ? 'passed' : 'failed';
    step.end = lineNo;
    if (code !== 0) step.failureLine = lineNo;
    if (!stay) this.begin(lineNo + 1, undefined);
    return code !== 0;
  }

  private begin(lineNo: number, name: string | undefined): void {
    if (this.current.start === lineNo && this.current.status === 'unknown') {
      // An empty step: just rename it.
      if (name !== undefined) this.current.name = name;
      return;
    }
    if (this.steps.length >= MAX_STEPS) return;
    // push() already counted this line into the old step; it belongs to the new one.
    this.current.end = Math.max(this.current.start, lineNo - 1);
    const step: Step = { index: this.steps.length, start: lineNo, end: lineNo - 1, status: 'unknown' };
    if (name !== undefined) step.name = name;
    this.steps.push(step);
    this.current = step;
  }

  /** The step that contains `lineNo` (steps are sorted and contiguous). */
  stepAt(lineNo: number): number {
    let lo = 0;
    let hi = this.steps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.steps[mid]!.start <= lineNo) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  finishLog(lastLine: number): Step[] {
    if (this.current.end < lastLine) this.current.end = lastLine;
    return this.steps;
  }
}
