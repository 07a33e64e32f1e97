/**
 * Records every regular expression built at run time with `new RegExp(...)` / `RegExp(...)`: the global constructor
 * is wrapped in a Proxy (the objects it returns are ordinary RegExps, and `instanceof RegExp` still holds) while the
 * engine evaluates repositories, so patterns compiled from tables, from keys and by picomatch from globs are checked
 * by recheck like the literals are. Each record names the first frame in `src/` or `checks/` that led to it.
 */
import { relative, sep } from 'node:path';

export interface CapturedRegex {
  source: string;
  flags: string;
  /** Repository-relative file in src/ or checks/ whose code built the pattern (directly or through a library). */
  site: string;
  /** True when the constructor was called by a library (picomatch) rather than by our code. */
  viaLibrary: boolean;
}

export function captureRegExpConstruction(root: string): { captured: CapturedRegex[]; restore: () => void } {
  const original = globalThis.RegExp;
  const captured: CapturedRegex[] = [];
  const ours = (frame: string) => {
    const match = /\((?:file:\/\/)?([^():]+\.[jt]s):\d+:\d+\)$|at (?:file:\/\/)?([^():]+\.[jt]s):\d+:\d+$/.exec(frame);
    const path = match?.[1] ?? match?.[2];
    if (path === undefined) return undefined;
    const file = relative(root, path).split(sep).join('/');
    return /^(src|checks)\//.test(file) ? file : undefined;
  };
  const record = (pattern: unknown, flags: unknown) => {
    const regex = new original(pattern as string, flags as string | undefined);
    const frames = (new Error().stack ?? '').split('\n').slice(3);
    const siteIndex = frames.findIndex((frame) => ours(frame) !== undefined);
    if (siteIndex >= 0)
      captured.push({
        source: regex.source,
        flags: regex.flags,
        site: ours(frames[siteIndex])!,
        viaLibrary: frames.slice(0, siteIndex).some((frame) => frame.includes(`${sep}node_modules${sep}`)),
      });
    return regex;
  };
  globalThis.RegExp = new Proxy(original, {
    construct: (_target, args) => record(args[0], args[1]),
    apply: (_target, _this, args) => record(args[0], args[1]),
  });
  return { captured, restore: () => void (globalThis.RegExp = original) };
}
