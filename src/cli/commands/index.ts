import { Command } from 'commander';
import { createLogger } from '../../ops/logger.js';
import { color, mark, printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { withKnowledge } from '../knowledge-session.js';
import { cliConfig, runAction } from '../run-action.js';
import { resolve } from 'node:path';

export function indexCommand(): Command {
  return new Command('index')
    .description('Index markdown runbooks into Chroma and the lexical index, incrementally (unchanged files cost nothing).')
    .argument('[dirs...]', 'runbook directories (default: PITCREW_RUNBOOK_DIRS)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `
The runbook collection mirrors the directories indexed: a changed file replaces
its chunks, a deleted file removes its own, and a directory left out of the list
drops its runbooks. A file with malformed front matter is skipped with a warning
naming the file and line; everything else is indexed.

Uses the service's Chroma when the service runs on this data dir, else starts
the embedded server for the duration of the command (or uses CHROMA_URL).

Examples:
  $ pitcrew index
  $ pitcrew index runbooks /srv/ops/runbooks
  $ PITCREW_EMBEDDINGS=openai pitcrew index   # switching models re-embeds everything`)
    .action(runAction(async (dirs: string[], options: { json?: boolean }) => {
      const config = cliConfig();
      const targets = dirs.length > 0 ? dirs.map((dir) => resolve(dir)) : config.knowledge.runbookDirs;
      const status = (message: string) => process.stderr.write(`${color.dim(message)}\n`);
      const summary = await withKnowledge(config, { status, log: createLogger('silent') }, async (knowledge) => {
        const progress = createProgress('indexing', !options.json);
        try {
          return await knowledge.indexRunbooks(targets, (p) => p.phase === 'embed' && progress.update(p.done, p.total, p.file));
        } finally {
          progress.stop();
        }
      });
      if (options.json) {
        printJson(summary);
        return;
      }
      for (const problem of summary.skipped) console.error(`${mark.warn} skipped ${problem.file}:${problem.line}: ${problem.message}`);
      for (const problem of summary.warnings) console.error(`${mark.warn} ${problem.file}: ${problem.message}`);
      for (const dir of summary.missingDirs) console.error(`${mark.warn} ${dir} does not exist; its runbooks (if any) were kept`);
      if (summary.rebuilt) console.log(`${mark.warn} the embedding model changed: every runbook was re-embedded`);
      console.log(`${mark.ok} indexed in ${(summary.tookMs / 1000).toFixed(2)} s: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed, ${summary.unchanged} unchanged${summary.skipped.length ? `, ${summary.skipped.length} skipped` : ''} (${summary.chunksWritten} sections embedded)`);
    }));
}
