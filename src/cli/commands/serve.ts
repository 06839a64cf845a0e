import { Command } from 'commander';
import { startService } from '../../main.js';
import { createLogger } from '../../ops/logger.js';
import { cliConfig, runAction } from '../run-action.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the service: HTTP server (health, metrics, webhooks), store and Chroma. Logs JSON to stdout.')
    .addHelpText('after', `
Stops gracefully on SIGTERM or SIGINT: stops accepting, finishes in-flight work,
closes the store and stops the embedded Chroma. A second signal exits at once.

Examples:
  $ pitcrew serve
  $ PORT=3999 LOG_LEVEL=debug pitcrew serve`)
    .action(runAction(async () => {
      const config = cliConfig();
      const log = createLogger(config.logLevel);
      const service = await startService(config, log);
      log.info({ port: service.port }, 'pitcrew is up');
      const signal = await shutdownSignal();
      log.info({ signal }, 'shutting down');
      process.once(signal, () => process.exit(1));
      await service.stop();
      log.info('stopped');
      // Exit explicitly: a library handle left open must not keep a stopped service alive.
      process.exit(0);
    }));
}

function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
