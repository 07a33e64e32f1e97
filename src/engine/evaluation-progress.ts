/**
 * Where a pooled evaluation is, in memory shared by the worker and the pool: the check (or stage) being worked on
 * and the last file a check or parser asked for. Shared memory rather than messages because the interesting case
 * is a worker stuck inside one regular expression: it cannot send anything then, and the pool reads the cell after
 * terminating it. A write is a few hundred bytes into a buffer, cheap enough for every file access.
 *
 * Each field is double-buffered: the writer fills the inactive slot, then publishes it with one atomic store, so a
 * worker terminated half-way through a write leaves the previous value readable, never a torn one.
 */

/** Characters kept per field; longer paths keep their end (the file name). */
const FIELD_CHARS = 512;
const FIELDS = 2;
/** Per field: [active slot, length of slot 0, length of slot 1]. */
const HEADER_INTS = 3;

export const PROGRESS_FIELDS = { activity: 0, file: 1 } as const;
export type ProgressField = keyof typeof PROGRESS_FIELDS;

export function createProgressBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(FIELDS * (HEADER_INTS * 4 + 2 * FIELD_CHARS * 2));
}

function views(buffer: SharedArrayBuffer, field: number): { header: Int32Array; slots: [Uint16Array, Uint16Array] } {
  const stride = HEADER_INTS * 4 + 2 * FIELD_CHARS * 2;
  const offset = field * stride;
  const header = new Int32Array(buffer, offset, HEADER_INTS);
  const slotsOffset = offset + HEADER_INTS * 4;
  return {
    header,
    slots: [
      new Uint16Array(buffer, slotsOffset, FIELD_CHARS),
      new Uint16Array(buffer, slotsOffset + FIELD_CHARS * 2, FIELD_CHARS),
    ],
  };
}

/** The worker's side: `write(field, text)`, skipping a value identical to the last one written. */
export function progressWriter(buffer: SharedArrayBuffer): (field: ProgressField, text: string) => void {
  const fields = [views(buffer, 0), views(buffer, 1)];
  const last: string[] = ['', ''];
  return (name, text) => {
    const index = PROGRESS_FIELDS[name];
    if (last[index] === text) return;
    last[index] = text;
    const { header, slots } = fields[index];
    const target = 1 - Atomics.load(header, 0);
    const start = Math.max(0, text.length - FIELD_CHARS);
    const slot = slots[target];
    for (let position = start; position < text.length; position += 1)
      slot[position - start] = text.charCodeAt(position);
    header[1 + target] = text.length - start;
    Atomics.store(header, 0, target);
  };
}

/** The pool's side: the published value of each field ('' when none was written). */
export function readProgress(buffer: SharedArrayBuffer): Record<ProgressField, string> {
  const read = (index: number) => {
    const { header, slots } = views(buffer, index);
    const active = Atomics.load(header, 0);
    const length = header[1 + active];
    return String.fromCharCode(...slots[active].subarray(0, length));
  };
  return { activity: read(PROGRESS_FIELDS.activity), file: read(PROGRESS_FIELDS.file) };
}
