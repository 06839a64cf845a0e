import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod/v4';
import { PitcrewError } from '../../domain/errors.js';
import { FailureCategory } from '../categories.js';

/** One labelled log, as in ../shared/bench/README.md. Unknown fields are ignored. */
export const DatasetRecord = z.object({
  id: z.string().min(1),
  log_path: z.string().min(1),
  spans: z.array(z.object({ start_line: z.number().int().min(1), end_line: z.number().int().min(1) })),
  repo: z.string().optional(),
  failure_category: FailureCategory.optional(),
});
export type DatasetRecord = z.infer<typeof DatasetRecord>;

export interface Dataset {
  file: string;
  records: Array<DatasetRecord & { absolutePath: string }>;
}

/** Reads a JSONL dataset; every bad line is reported with its line number, none is skipped silently. */
export async function loadDataset(file: string): Promise<Dataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PitcrewError('not_found', `Cannot read dataset ${file}: ${(error as Error).message}`, 'Pass --dataset with the path to a dataset.jsonl file.', { cause: error });
  }
  const base = dirname(resolve(file));
  const records: Dataset['records'] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${index + 1}: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = DatasetRecord.safeParse(json);
    if (!parsed.success) {
      problems.push(`line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ')}`);
      return;
    }
    const record = parsed.data;
    records.push({ ...record, absolutePath: isAbsolute(record.log_path) ? record.log_path : resolve(base, record.log_path) });
  });
  if (problems.length > 0) {
    throw new PitcrewError('input_invalid', `Dataset ${file} has ${problems.length} invalid line(s):\n  ${problems.slice(0, 10).join('\n  ')}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`,
      'Each line must be a JSON object with id, log_path and spans [{start_line, end_line}] (see ../shared/bench/README.md).');
  }
  if (records.length === 0) throw new PitcrewError('input_invalid', `Dataset ${file} has no records.`, 'Check the file is a JSONL dataset with one record per line.');
  return { file, records };
}
