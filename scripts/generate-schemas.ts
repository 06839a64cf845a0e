// Writes the JSON Schemas generated from zod into docs/schemas/.
// Usage: node --import tsx scripts/generate-schemas.ts
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { genericAlertJsonSchema } from '../src/adapters/alerts/generic.js';

const root = resolve(import.meta.dirname, '..');
const file = join(root, 'docs', 'schemas', 'generic-alert.schema.json');
writeFileSync(file, `${JSON.stringify(genericAlertJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
