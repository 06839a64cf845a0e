import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PitcrewError } from '../domain/errors.js';

/** A log as a stream of bytes, already decompressed when it was gzipped. */
export interface LogSource {
  /** Where it came from, for messages: a path or "stdin". */
  name: string;
  chunks: AsyncIterable<Buffer>;
  /** Compressed size in bytes when known (files only). */
  sizeBytes?: number;
  gzipped: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Opens a log file, or stdin for "-". Gzip is detected from the magic bytes,
 * not the file name, so `.log` files that are really gzipped (and `.gz` files
 * that are not) both work.
 */
export async function openLogSource(path: string, stdin: Readable = process.stdin): Promise<LogSource> {
  if (path === '-') return fromStream('stdin', stdin);
  let size: number;
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      size = (await handle.stat()).size;
      head = Buffer.alloc(2);
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PitcrewError(code === 'ENOENT' ? 'not_found' : 'input_invalid', `Cannot read log file ${path}: ${(error as Error).message}`,
      code === 'ENOENT' ? 'Check the path, or pass "-" to read the log from stdin.' : 'Check the file permissions.', { cause: error });
  }
  const gzipped = size >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  // Modest reads: a kept line can pin its read buffer until it is detached.
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  return { name: path, sizeBytes: size, gzipped, chunks: gzipped ? gunzip(raw, path) : raw };
}

/** Wraps any byte stream; sniffs the first chunk for gzip. */
export async function fromStream(name: string, stream: Readable): Promise<LogSource> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await iterator.next();
  const firstChunk = first.done ? Buffer.alloc(0) : toBuffer(first.value);
  const gzipped = firstChunk.length >= 2 && firstChunk[0] === GZIP_MAGIC[0] && firstChunk[1] === GZIP_MAGIC[1];
  async function* replay(): AsyncIterable<Buffer> {
    if (firstChunk.length > 0) yield firstChunk;
    if (first.done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }
  return { name, gzipped, chunks: gzipped ? gunzip(Readable.from(replay()), name) : replay() };
}

/** A log held in memory (tests, webhooks that already have the text). */
export function fromText(name: string, text: string | Buffer): LogSource {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    name,
    gzipped: false,
    sizeBytes: buffer.length,
    chunks: (async function* () {
      for (let offset = 0; offset < buffer.length; offset += 1 << 20) yield buffer.subarray(offset, offset + (1 << 20));
    })(),
  };
}

function toBuffer(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** A truncated or corrupt gzip stream is reported, not thrown mid-analysis. */
export class TruncatedInputError extends Error {}

async function* gunzip(raw: Readable, name: string): AsyncIterable<Buffer> {
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  raw.on('error', (error) => inflater.destroy(error));
  raw.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header|invalid/i.test((error as Error).message)) {
      throw new TruncatedInputError(`${name}: gzip data is truncated or corrupt (${(error as Error).message})`);
    }
    throw error;
  }
}
