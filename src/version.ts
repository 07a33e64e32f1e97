import { readFileSync } from 'node:fs';

/** Read from package.json once, so the report, the CLI and the App agree on the version. */
export const TOOL_VERSION: string = (() => {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'shipready' && manifest.version) return manifest.version;
    } catch {
      // try the next layout (src/ when run from source, dist/src/ when built)
    }
  }
  return '0.0.0';
})();
