import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { isPitcrewError } from '../../../src/domain/errors.js';
import { chromaHeartbeat, createChromaClient } from '../../../src/knowledge/chroma/client.js';
import { EmbeddedChroma } from '../../../src/knowledge/chroma/embedded-server.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { freePort } from '../../support/ports.js';
import { chromaPidsFor, isAlive, tsNode } from '../../support/processes.js';
import { tempDir } from '../../support/tmp.js';

describe('embedded chroma', () => {
  it('starts the bundled server, persists data under the data dir, and stops it', async () => {
    const dataDir = join(tempDir(), 'chroma');
    const server = new EmbeddedChroma({ dataDir, port: 0, log: silentLogger() });
    await server.start();
    const pid = server.pid!;
    assert.ok(await server.ready());

    const client = createChromaClient(server.url);
    const collection = await client.getOrCreateCollection({ name: 'smoke', embeddingFunction: null });
    await collection.add({ ids: ['a'], embeddings: [[0.1, 0.2, 0.3]], documents: ['disk full'] });
    await server.stop();
    assert.equal(isAlive(pid), false, 'chroma child must be gone after stop');
    assert.equal(await chromaHeartbeat(server.url, 500), false);

    const again = new EmbeddedChroma({ dataDir, port: 0, log: silentLogger() });
    await again.start();
    const reopened = await createChromaClient(again.url).getCollection({ name: 'smoke', embeddingFunction: undefined });
    assert.equal(await reopened.count(), 1);
    await again.stop();
  });

  it('restarts the server when it dies', async () => {
    const server = new EmbeddedChroma({ dataDir: join(tempDir(), 'chroma'), port: 0, log: silentLogger() });
    await server.start();
    const firstPid = server.pid!;
    process.kill(firstPid, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(server.pid && server.pid !== firstPid && (await server.ready()))) await sleep(100);
    assert.ok(server.pid && server.pid !== firstPid, 'a new chroma process should be running');
    assert.ok(await server.ready());
    await server.stop();
  });

  it('stops an orphan left on the same data dir by a supervisor killed with -9', async () => {
    const dataDir = join(tempDir(), 'chroma');
    const supervisor = spawn(process.execPath, tsNode('test/support/chroma-supervisor.ts', dataDir), { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(supervisor.stdout!, 'data')) as [Buffer];
    const orphanPid = Number(line.toString().trim());
    supervisor.kill('SIGKILL');
    await once(supervisor, 'exit');
    assert.ok(isAlive(orphanPid), 'the chroma child outlives its supervisor');

    const next = new EmbeddedChroma({ dataDir, port: 0, log: silentLogger() });
    await next.start();
    assert.equal(isAlive(orphanPid), false, 'the orphan should have been stopped');
    assert.deepEqual(chromaPidsFor(dataDir), [next.pid]);
    await next.stop();
  });

  it('reports a fixed port that is taken, naming the variable', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const server = new EmbeddedChroma({ dataDir: join(tempDir(), 'chroma'), port, log: silentLogger() });
    await assert.rejects(server.start(), (error) => {
      assert.ok(isPitcrewError(error, 'chroma_port_in_use'));
      assert.match(error.message, new RegExp(`PITCREW_CHROMA_PORT=${port}`));
      assert.match(error.hint!, /free port/);
      return true;
    });
    blocker.close();
  });
});
