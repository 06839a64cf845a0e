import { z } from 'zod/v4';
import { RepoConfig } from './schema.js';

export const REPO_CONFIG_SCHEMA_ID = 'https://github.com/pitcrew/pitcrew/blob/main/docs/pitcrew.schema.json';

/**
 * The JSON Schema of `.github/pitcrew.yml`, generated from the zod schema (the
 * input side: defaults are optional). Committed as docs/pitcrew.schema.json so
 * editors can validate and complete the file; `pitcrew repo-config schema`
 * prints it and a test fails when the committed copy is out of date.
 */
export function repoConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RepoConfig, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: REPO_CONFIG_SCHEMA_ID, title: 'pitcrew repository configuration (.github/pitcrew.yml)', ...schema };
}

export function repoConfigJsonSchemaText(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}
