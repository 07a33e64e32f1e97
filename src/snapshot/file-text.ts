import type { FileText } from './types.js';

/** Git's own heuristic: a NUL byte in the first 8,000 bytes makes a file binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let index = 0; index < end; index += 1) if (bytes[index] === 0) return true;
  return false;
}

/** Turns raw bytes into a FileText: binary detection, BOM stripped, cut at `maxBytes`. */
export function toFileText(path: string, bytes: Uint8Array, size: number, maxBytes: number): FileText {
  const truncated = size > maxBytes || bytes.length > maxBytes;
  const slice = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  if (looksBinary(slice))
    return {
      path,
      text: null,
      binary: true,
      truncated,
      size,
      magic: Buffer.from(slice.subarray(0, 8)).toString('hex'),
    };
  let text = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, text, binary: false, truncated, size };
}
