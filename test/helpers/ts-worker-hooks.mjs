// Module hooks for pool workers under test: TypeScript files are transpiled on load (types dropped, nothing
// checked: `npm run lint` type-checks), and `./x.js` specifiers fall back to `./x.ts`, as ts-jest's mapper does.
// The workers then run the same source the test's main thread runs, not a possibly stale build in dist/.
// Transpiled text is cached on disk by content hash: every replacement worker would otherwise load TypeScript
// and transpile the whole registry again (seconds on a busy machine).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDirectory = join(tmpdir(), 'shipready-ts-worker-cache');
let typescript;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('file:');
    if (!relative || !specifier.endsWith('.js')) throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const text = await readFile(fileName, 'utf8');
  const cached = join(
    cacheDirectory,
    `${createHash('sha256').update(fileName).update('\0').update(text).digest('hex')}.js`,
  );
  let source;
  try {
    source = await readFile(cached, 'utf8');
  } catch {
    typescript ??= (await import('typescript')).default;
    source = typescript.transpileModule(text, {
      fileName,
      compilerOptions: {
        module: typescript.ModuleKind.ESNext,
        target: typescript.ScriptTarget.ES2022,
        sourceMap: false,
      },
    }).outputText;
    await mkdir(cacheDirectory, { recursive: true });
    const temporary = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(temporary, source);
    await rename(temporary, cached);
  }
  return { format: 'module', source, shortCircuit: true };
}
