import ignore, { type Ignore } from 'ignore';

/**
 * CODEOWNERS, as GitHub reads it: gitignore-style patterns, the last matching
 * line wins, owners are `@user`, `@org/team` or an email (emails cannot be
 * resolved to accounts here and are ignored). A matching line with no owners
 * makes the path unowned. `!` negation and `[ ]` ranges are not supported by
 * GitHub; such lines are skipped, as GitHub does.
 */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeownersRule {
  line: number;
  pattern: string;
  /** `alice` or `org/team`, lower case, without `@`. */
  owners: string[];
  matcher: Ignore;
}

export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const [pattern, ...rest] = line.split(/\s+/);
    if (!pattern || pattern.startsWith('!') || /[[\]]/.test(pattern)) return;
    const owners = rest.filter((owner) => owner.startsWith('@')).map((owner) => owner.slice(1).toLowerCase());
    rules.push({ line: index + 1, pattern, owners, matcher: ignore().add(pattern) });
  });
  return rules;
}

/** The owners of `path` (the last matching rule's), or null when no rule matches. */
export function ownersOf(path: string, rules: CodeownersRule[]): { rule: CodeownersRule; owners: string[] } | null {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.matcher.ignores(path)) return { rule, owners: rule.owners };
  }
  return null;
}
