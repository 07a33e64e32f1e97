import { readFileSync } from 'node:fs';

interface Manifest {
  name?: string;
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

/** package.json, read once, so the report, the CLI, SARIF and the App agree on the version and the links. */
const MANIFEST: Manifest = (() => {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as Manifest;
      if (manifest.name === 'shipready' && manifest.version) return manifest;
    } catch {
      // try the next layout (src/ when run from source, dist/src/ when built)
    }
  }
  return {};
})();

export const TOOL_VERSION: string = MANIFEST.version ?? '0.0.0';

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`; undefined when it is not an https URL. */
function webUrlOf(repository: Manifest['repository']): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository?.url;
  const match = raw ? /^(?:git\+)?(https:\/\/[^\s#]+?)(?:\.git)?$/.exec(raw) : null;
  return match?.[1];
}

const REPOSITORY_URL = webUrlOf(MANIFEST.repository);

/**
 * Where shipready itself lives, from package.json's `repository` and `homepage` (never a guessed URL). The check
 * doc pages are linked at the tag of this version, so a link never points at a page that has changed since.
 */
export const TOOL_LINKS: { homepage?: string; repository?: string; docsBaseUrl?: string } = {
  ...(MANIFEST.homepage ? { homepage: MANIFEST.homepage } : {}),
  ...(REPOSITORY_URL ? { repository: REPOSITORY_URL } : {}),
  ...(REPOSITORY_URL && MANIFEST.version ? { docsBaseUrl: `${REPOSITORY_URL}/blob/v${MANIFEST.version}/` } : {}),
};
