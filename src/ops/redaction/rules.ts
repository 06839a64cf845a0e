/**
 * pitcrew's own redaction rules, run alongside secretlint's recommended
 * preset. They overlap it on purpose: secretlint skips well-known example
 * values and demands exact token shapes (right for a linter, wrong for a
 * redactor, where a near-miss is still a leak), and it has no JWT or
 * key=value rule.
 *
 * Each rule's `group` (when set) is the capture group to redact; otherwise the
 * whole match is. Patterns are linear (no nested quantifiers), because
 * redaction runs on multi-megabyte CI logs.
 */
export interface RedactionRule {
  id: string;
  pattern: RegExp;
  group?: number;
  /** Extra check on the matched secret; false keeps the text. */
  accept?: (secret: string) => boolean;
}

const NOT_PLACEHOLDER = (value: string) =>
  !/^(\*+|x+|null|none|nil|true|false|undefined|redacted|\[redacted.*|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+|%[A-Z_]+%|changeme)$/i.test(value);

export const BUILT_IN_RULES: RedactionRule[] = [
  {
    id: 'private-key',
    pattern: /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20}-----|$)/g,
  },
  { id: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g },
  {
    id: 'aws-secret-access-key',
    pattern: /aws.{0,24}?(?:secret|sk)[A-Za-z_ -]{0,24}["']?\s{0,4}[:=]\s{0,4}["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  { id: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { id: 'slack-token', pattern: /\b(?:xox[abposrce]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{10,250})/g },
  { id: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{20,}/g },
  { id: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'npmrc-auth', pattern: /_(?:authToken|auth|password)\s{0,4}=\s{0,4}["']?([^\s"']{6,})/g, group: 1 },
  { id: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // scheme://user:password@host — only the password goes, so the URL stays readable.
  { id: 'url-password', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@"'<>]{1,256}:([^\s/?#@"'<>]{1,256})@/gi, group: 1, accept: NOT_PLACEHOLDER },
  {
    id: 'authorization-header',
    pattern: /\b(?:authorization|proxy-authorization|x-api-key|x-auth-token|private-token)["']?\s{0,4}[:=]\s{0,4}["']?(?:(?:bearer|basic|token|digest|apikey)\s+)?([^\s"',;]{6,})/gi,
    group: 1,
    accept: NOT_PLACEHOLDER,
  },
  { id: 'bearer-token', pattern: /\bbearer\s+([A-Za-z0-9._~+/=-]{16,})/gi, group: 1 },
  // password=…; pwd=… in ADO/JDBC connection strings and key=value config.
  {
    id: 'password-assignment',
    pattern: /(?:password|passwd|pwd|passphrase)[A-Za-z_.-]{0,20}["']?\s{0,4}(?:[:=]|=>)\s{0,4}["']?([^\s"',;&]{3,256})/gi,
    group: 1,
    accept: NOT_PLACEHOLDER,
  },
  {
    id: 'secret-assignment',
    pattern: /(?:secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret|credentials?|signing[_-]?key)[A-Za-z_.-]{0,20}["']?\s{0,4}(?:[:=]|=>)\s{0,4}["']?([^\s"',;&]{8,512})/gi,
    group: 1,
    // A timestamp or a file path after "token_expires_at=" / "credentials=" is not the secret itself.
    accept: (value) => NOT_PLACEHOLDER(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !/^\d{4}-\d{2}-\d{2}/.test(value) && !/^\.{0,2}\//.test(value),
  },
];
