import { MAX_CONFIG_BYTES } from '../parsers/structured.js';
import type { OctokitLike } from './octokit.js';

export interface FileRef {
  owner: string;
  repo: string;
  path: string;
  ref?: string;
}

export type ReadResult =
  /** `noRepository`: GitHub said the repository itself does not exist (or the App cannot see it). */
  | { kind: 'missing'; noRepository?: true }
  | { kind: 'too-large' }
  | { kind: 'directory' }
  | { kind: 'text'; text: string };

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

interface ConfigNode {
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
}

/**
 * Config files on their repositories' default branches (`HEAD`, as a contents request without `ref` reads), in ONE
 * GraphQL query: a repository's own file and its org's `.github` fallback cost one request instead of two. The
 * answers mean what the contents request's would: a missing file or repository (or one the App cannot see) is
 * `missing`, a tree is `directory`, a blob larger than MAX_CONFIG_BYTES `too-large`. A binary blob (GraphQL has no
 * text for it) and any other error go through the contents request, as before.
 */
export async function readConfigFilesAtHead(octokit: OctokitLike, files: FileRef[]): Promise<ReadResult[]> {
  const declarations = files.flatMap((_, index) => [
    `$o${index}: String!`,
    `$n${index}: String!`,
    `$e${index}: String!`,
  ]);
  const fields = files.map(
    (_, index) =>
      `r${index}: repository(owner: $o${index}, name: $n${index}) { f: object(expression: $e${index}) { ... on Blob { byteSize isBinary isTruncated text } } }`,
  );
  const variables: Record<string, string> = {};
  for (const [index, file] of files.entries()) {
    variables[`o${index}`] = file.owner;
    variables[`n${index}`] = file.repo;
    variables[`e${index}`] = `HEAD:${file.path}`;
  }
  let data: Record<string, { f?: ConfigNode | null } | null | undefined>;
  try {
    data = await octokit.graphql(`query(${declarations.join(', ')}) { ${fields.join(' ')} }`, variables);
  } catch (error) {
    const { errors, data: partial } = error as { errors?: Array<{ type?: string }>; data?: typeof data };
    if (!Array.isArray(errors)) throw error;
    // A repository that does not exist (or is not visible to the App) is NOT_FOUND, with the others answered.
    if (!partial || errors.some((entry) => entry.type !== 'NOT_FOUND'))
      return Promise.all(files.map((file) => readConfigFile(octokit, file)));
    data = partial;
  }
  return Promise.all(
    files.map((file, index): ReadResult | Promise<ReadResult> => {
      const repository = data[`r${index}`];
      if (!repository) return { kind: 'missing', noRepository: true };
      const node = repository.f;
      if (!node) return { kind: 'missing' };
      if (typeof node.byteSize !== 'number') return { kind: 'directory' };
      if (node.byteSize > MAX_CONFIG_BYTES || node.isTruncated) return { kind: 'too-large' };
      if (node.isBinary || typeof node.text !== 'string') return readConfigFile(octokit, file);
      return { kind: 'text', text: node.text };
    }),
  );
}
