import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PitcrewError } from '../../domain/errors.js';

/**
 * Prompts live as files in prompts/ so they are reviewed and versioned like
 * code. `{{> _name}}` includes a partial (files starting with _);
 * `{{name}}` inserts a variable. Variables are trusted text made by the
 * planner; untrusted text arrives already fenced (see fence.ts).
 *
 * The prompt version is the main file's front matter `version` plus a short
 * hash of every file used, so any edit changes it and the decision log says
 * which prompt produced a plan.
 */
export const PROMPTS_DIR = fileURLToPath(new URL('../../../prompts/', import.meta.url));

export interface LoadedPrompt {
  version: string;
  render(variables: Record<string, string>): string;
}

function read(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, `${name}.md`), 'utf8');
  } catch (error) {
    throw new PitcrewError('not_found', `Prompt file ${join(dir, `${name}.md`)} cannot be read: ${(error as Error).message}`, 'Reinstall pitcrew or restore the prompts/ directory.');
  }
}

function splitFrontMatter(text: string): { meta: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) return { meta: {}, body: text };
  return { meta: (parseYaml(match[1]!) as Record<string, unknown>) ?? {}, body: text.slice(match[0].length) };
}

export function loadPrompt(name: string, dir = PROMPTS_DIR): LoadedPrompt {
  const hash = createHash('sha256');
  const main = splitFrontMatter(read(dir, name));
  hash.update(main.body);
  const seen = new Set<string>();
  const template = main.body.replace(/\{\{>\s*(_[A-Za-z0-9_-]+)\s*\}\}/g, (_whole, partial: string) => {
    const body = splitFrontMatter(read(dir, partial)).body.trimEnd();
    if (!seen.has(partial)) hash.update(`\0${partial}\0${body}`);
    seen.add(partial);
    return body;
  });
  const version = `${String(main.meta.version ?? name)}+${hash.digest('hex').slice(0, 8)}`;
  return {
    version,
    render(variables) {
      return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (_whole, key: string) => {
        const value = variables[key];
        if (value === undefined) throw new PitcrewError('unexpected', `Prompt ${name} uses {{${key}}} but no value was given`, 'This is a bug in pitcrew: report it.');
        return value;
      });
    },
  };
}

/** The system and user prompts of the planner, with one combined version. */
export function loadPlannerPrompts(dir = PROMPTS_DIR): { system: LoadedPrompt; user: LoadedPrompt; version: string } {
  const system = loadPrompt('planner.system', dir);
  const user = loadPrompt('planner.user', dir);
  return { system, user, version: `${system.version}/${user.version.split('+')[1]}` };
}
