import { MAX_CONFIG_BYTES } from '../parsers/structured.js';
import type { OctokitLike } from './octokit.js';

export interface FileRef {
  owner: string;
  repo: string;
  path: string;
  ref?: string;
}

export type ReadResult =
  { kind: 'missing' } | { kind: 'too-large' } | { kind: 'directory' } | { kind: 'text'; text: string };

/** Reads a response body up to `max` bytes; past that the stream is cancelled, never buffered whole. */
export async function readCapped(body: unknown, max: number): Promise<ReadResult> {
  if (typeof body === 'string')
    return Buffer.byteLength(body, 'utf8') > max ? { kind: 'too-large' } : { kind: 'text', text: body };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = Buffer.from(body instanceof ArrayBuffer ? body : body.buffer);
    return bytes.length > max ? { kind: 'too-large' } : { kind: 'text', text: bytes.toString('utf8') };
  }
  if (!body || typeof (body as ReadableStream).getReader !== 'function') return { kind: 'text', text: '' };
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return { kind: 'too-large' };
    }
    chunks.push(value);
  }
  return { kind: 'text', text: Buffer.concat(chunks).toString('utf8') };
}

/** One config file, raw, read within MAX_CONFIG_BYTES; a 404 is `missing` (no config there). */
export async function readConfigFile(octokit: OctokitLike, file: FileRef): Promise<ReadResult> {
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      ...(file.ref ? { ref: file.ref } : {}),
      mediaType: { format: 'raw' },
      // The body is read here, capped, instead of by Octokit in full.
      request: { parseSuccessResponseBody: false },
    });
    const contentType = String((response.headers as Record<string, unknown>)['content-type'] ?? '');
    if (contentType.startsWith('application/json')) {
      await readCapped(response.data, 0);
      return { kind: 'directory' };
    }
    return await readCapped(response.data, MAX_CONFIG_BYTES);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { kind: 'missing' };
    throw error;
  }
}
