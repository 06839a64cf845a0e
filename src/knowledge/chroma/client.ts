import { ChromaClient } from 'chromadb';

/** A Chroma client for a server URL (host, port and ssl; the `path` form is deprecated in chromadb v3). */
export function createChromaClient(url: string): ChromaClient {
  const parsed = new URL(url);
  const ssl = parsed.protocol === 'https:';
  return new ChromaClient({ host: parsed.hostname, port: Number(parsed.port || (ssl ? 443 : 80)), ssl });
}

/** True when the server answers GET /api/v2/heartbeat within the timeout. */
export async function chromaHeartbeat(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/v2/heartbeat', url), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
