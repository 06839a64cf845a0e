// Starts an embedded Chroma supervisor in its own process and prints the
// child's pid, so a test can kill this process with -9 and leave an orphan.
import { EmbeddedChroma } from '../../src/knowledge/chroma/embedded-server.js';
import { silentLogger } from '../../src/ops/logger.js';

const server = new EmbeddedChroma({ dataDir: process.argv[2]!, port: 0, log: silentLogger() });
await server.start();
process.stdout.write(`${server.pid}\n`);
setInterval(() => {}, 1_000);
