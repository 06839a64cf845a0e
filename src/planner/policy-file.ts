import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PitcrewError } from '../domain/errors.js';
import { Policy } from '../domain/policy.js';

/** No policy file: every kind is known, but no target is allowed, so only human steps pass. */
export const DENY_BY_DEFAULT: Policy = Policy.parse({});

/** Reads and validates a policy YAML file; errors name the file and the key. */
export function loadPolicy(file: string | null): Policy {
  if (!file) return DENY_BY_DEFAULT;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PitcrewError('policy_invalid', `Policy file ${file} cannot be read: ${(error as Error).message}`, 'Check PITCREW_POLICY_FILE: it must name a readable YAML file.');
  }
  const parsed = Policy.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  throw new PitcrewError('policy_invalid', `Policy file ${file} is invalid:\n  ${issues.join('\n  ')}`, 'Fix the keys above; docs/policy.example.yml shows every key.');
}
