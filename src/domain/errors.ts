/**
 * Typed errors. Every error pitcrew raises on purpose carries a `code` from
 * this union, a message that names the thing at fault (a variable, a file, a
 * field) and, where there is one, a hint that says what to do about it.
 *
 * Unknown errors are wrapped once, at the edge (CLI or HTTP), with `wrapUnknown`.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'store_unavailable'
  | 'store_migration_failed'
  | 'chroma_unavailable'
  | 'chroma_binary_missing'
  | 'chroma_port_in_use'
  | 'chroma_start_failed'
  | 'embeddings_unavailable'
  | 'http_port_in_use'
  | 'input_invalid'
  | 'not_found'
  | 'patch_invalid'
  | 'patch_path_missing'
  | 'patch_does_not_apply'
  | 'policy_invalid'
  | 'llm_failed'
  | 'propose_invalid'
  | 'propose_rejected'
  | 'forge_unavailable'
  | 'stopping'
  | 'chat_pending'
  | 'slack_unavailable'
  | 'unexpected';

export class PitcrewError extends Error {
  override readonly name = 'PitcrewError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The message plus its hint, as a human should read it. */
  describe(): string {
    return this.hint ? `${this.message}\n  → ${this.hint}` : this.message;
  }
}

export function isPitcrewError(error: unknown, code?: ErrorCode): error is PitcrewError {
  return error instanceof PitcrewError && (code === undefined || error.code === code);
}

export function wrapUnknown(error: unknown, context: string): PitcrewError {
  if (error instanceof PitcrewError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new PitcrewError('unexpected', `${context}: ${detail}`, undefined, { cause: error });
}
