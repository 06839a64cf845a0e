import type { RemediationStep, Risk } from '../../domain/action.js';

/** One heading section of a runbook (long sections are split into several chunks). */
export interface RunbookChunk {
  /** `<runbook id>#<n>`: stable while the file is unchanged. */
  id: string;
  runbookId: string;
  /** Headings from the title down to this section: ["KubePodNotReady", "Diagnosis"]. */
  headingPath: string[];
  /** The section text (without its heading line). */
  text: string;
  /** 1-based line in the file where the section starts. */
  line: number;
}

/** A runbook file, parsed. Everything here is derived from the file alone. */
export interface Runbook {
  /** Stable id: a hash of the runbook directory and the relative path. */
  id: string;
  /** The runbook directory it was found in (absolute). */
  root: string;
  /** Path relative to `root`, with forward slashes (what users and `expected_runbook` name). */
  path: string;
  title: string;
  /** Alert names declared in front matter. */
  declaredAlerts: string[];
  /** Alert names taken from the file name and from headings that name an alert. */
  derivedAlerts: string[];
  services: string[];
  tags: string[];
  remediation: RemediationStep[];
  /** Front matter `risk`, `rollback` and `verify_minutes`: how the remediation is planned. */
  risk?: Risk;
  rollback?: string[];
  verifyMinutes?: number;
  /** sha256 of the file bytes and the parser version: equal hash, nothing to do. */
  contentHash: string;
  /** Set when the page only says it has moved (`This alert has been moved to [..](other.md)`): the link target. */
  movedTo?: string;
  chunks: RunbookChunk[];
}
