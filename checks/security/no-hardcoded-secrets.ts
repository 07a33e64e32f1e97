import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { globMatcher, type RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { FileText } from '../../src/snapshot/types.js';
import { isReference, redact, scanText } from '../lib/secret-patterns.js';
import { isTestData } from '../lib/source-files.js';
import { nameGlobMatcher } from '../lib/tree-queries.js';

/** Bytes of each file the scan looks at (the engine reads at most 1 MiB; secrets sit in config, not at byte 600,000). */
const MAX_SCAN_BYTES = 512 * 1024;
const MAX_FINDINGS = 100;

const CODE_EXTENSIONS =
  'js,jsx,mjs,cjs,ts,tsx,py,go,rb,java,kt,kts,scala,groovy,gradle,php,cs,rs,swift,dart,ex,exs,sh,bash,zsh,ps1,tf,tfvars,hcl,sql';
const CONFIG_EXTENSIONS = 'yml,yaml,json,toml,ini,cfg,conf,properties,xml,env,plist';
const DOC_EXTENSIONS = 'md,txt,rst';
/** Lockfiles (integrity hashes, registry URLs) and minified bundles are excluded by name. */
const NOT_LOCKFILES = '!(package-lock|npm-shrinkwrap|pnpm-lock|*.min)';

const KEY_FILE_GLOBS = [
  '**/id_{rsa,dsa,ecdsa,ed25519}',
  '**/credentials.json',
  '**/{.npmrc,.pypirc,.netrc,_netrc,.git-credentials}',
];
const CONTENT_GLOBS = [
  { glob: `**/${NOT_LOCKFILES}.{${CODE_EXTENSIONS}}`, max: 1500 },
  { glob: `**/${NOT_LOCKFILES}.{${CONFIG_EXTENSIONS}}`, max: 1000 },
  { glob: `**/*.{${DOC_EXTENSIONS}}`, max: 200 },
  { glob: '**/*.{pem,key}', max: 200 },
  { glob: '**/.env{,.*}', max: 50 },
  { glob: '**/{Dockerfile,Containerfile}{,.*}', max: 50 },
];

/** Directories that are not the repository's own content; a committed node_modules is reported by other means. */
const SKIPPED_DIRECTORY = /(^|\/)(node_modules|bower_components|vendor|\.git)\//;
const SSH_KEY = /(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/;
const KEYSTORE = /\.(p12|pfx)$/i;
const PRIVATE_KEY_HEADER = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/;

function readText(snapshot: RepoSnapshot, path: string): FileText | undefined {
  return snapshot.fileIfRead(path); // undefined when it matched a glob but was past its `max`: not fetched
}

function lineOf(text: string, pattern: RegExp): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

/** `.npmrc` / `.pypirc` / `.netrc` lines that hold a literal credential (references like `${NPM_TOKEN}` are fine). */
function registryCredentials(path: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const name = path.slice(path.lastIndexOf('/') + 1);
  const patterns =
    name === '.npmrc'
      ? [/^\s*(?:\/\/[^\s=]*:)?(_authToken|_auth|_password)\s*=/]
      : name === '.pypirc'
        ? [/^\s*(password)\s*[=:]/]
        : [/\b(password)\s+(\S+)/];
  text.split('\n').forEach((line, index) => {
    if (/^\s*[#;]/.test(line)) return;
    for (const pattern of patterns) {
      const match = pattern.exec(line);
      // The key's pattern ends at `=`: the value is the rest of the line, trimmed in code (a lazy `(.+?)\s*$` is
      // cubic on long blank runs).
      const value = match ? (match[2] ?? line.slice(match[0].length).trim()) : '';
      if (match && value && !isReference(value)) {
        findings.push({
          message: `${path} holds a literal \`${match[1]}\` (${redact(value)}); reference an environment variable instead`,
          path,
          line: index + 1,
        });
      }
    }
  });
  return findings;
}

export default defineCheck({
  id: 'no-hardcoded-secrets',
  category: 'security',
  severity: 'critical',
  problemTitle: 'Secrets are hard-coded in the repository',
  title: 'No hard-coded secrets',
  description: [
    'No key files are tracked — SSH private keys (`id_rsa`, `id_ed25519`, …), `*.pem`/`*.key` files holding a private key, `*.p12`/`*.pfx` keystores, a `credentials.json` with a `private_key`, `.npmrc`/`.pypirc`/`.netrc`/`.git-credentials` with a literal token or password — and no high-confidence secret appears in the source, config and docs files read:',
    'private-key blocks, AWS access key ids (`AKIA…`/`ASIA…`) and secret keys, GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab, Slack (tokens and webhook URLs), Stripe live keys, Google API keys, npm, PyPI, OpenAI, Anthropic, SendGrid, Twilio and Docker Hub tokens.',
    'Inside test-fixture trees (`testdata/`, `fixtures/`, `__fixtures__/`, `__tests__/` sub-trees, e2e `playground/` trees) and test directories (`tests/certs/`) a key or secret is a `warn` (make sure it is not a real credential), never a failure.',
    'Documented examples (`AKIAIOSFODNN7EXAMPLE`), placeholders (`xxxx`, `<token>`, `your-token-here`, `abcdef123456`), low-entropy strings and references (`${NPM_TOKEN}`, `${{ secrets.X }}`) never match.',
    'Values are redacted in every finding (at most the first and last 4 characters). The scan reads up to 1,500 code files, 1,000 config files and 200 docs (shallowest first; lockfiles, minified bundles, `node_modules/` and `vendor/` skipped) and the first 512 KiB of each.',
  ].join(' '),
  rationale:
    'A secret in Git is leaked for good: every clone, fork and CI cache holds it, and bots scrape public pushes for keys within minutes. Removing the line does not help; only rotating the credential does.',
  remediation: [
    '1. **Rotate** the credential first (revoke it at the provider): it is compromised the moment it was pushed.',
    '2. Remove it from the file named in the finding and read it from the environment or a secret manager:',
    '',
    '```js',
    'const token = process.env.GITHUB_TOKEN; // set in CI as ${{ secrets.GITHUB_TOKEN }}, locally in an untracked .env',
    '```',
    '',
    '3. For `.npmrc`, reference a variable instead of the token:',
    '',
    '```ini',
    '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    '```',
    '',
    '4. Delete key files (`git rm --cached id_rsa`) and add them to `.gitignore`. Optionally purge history with `git filter-repo` — after rotating.',
    '',
    'A deliberate test key can be marked on its line (or the line above) with `# shipready-ignore no-hardcoded-secrets: <reason>` (or `//`), or excluded with `ignore.paths`.',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: [...KEY_FILE_GLOBS, ...CONTENT_GLOBS] },
  evaluate({ snapshot }) {
    const findings: Finding[] = [];
    let scanned = 0;
    let unread = 0;
    let truncated = 0;
    const scannedGlobs = [...KEY_FILE_GLOBS, ...CONTENT_GLOBS.map((need) => need.glob)];
    const isScanned = globMatcher(scannedGlobs);
    // Every test below but the content scan goes by the base name or the directory: the tree index runs them once
    // per distinct name and directory, and the loop sees only the entries that pass.
    const isScannedName = nameGlobMatcher(scannedGlobs);
    const candidates = isScannedName
      ? snapshot.index.where('no-hardcoded-secrets:candidates', {
          name: (name) => SSH_KEY.test(name) || KEYSTORE.test(name) || isScannedName(name),
          directory: (directory) => !SKIPPED_DIRECTORY.test(`${directory}/`),
        })
      : snapshot.entries;

    for (const entry of candidates) {
      if (entry.kind !== 'file' || SKIPPED_DIRECTORY.test(entry.path)) continue;
      const path = entry.path;
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (SSH_KEY.test(path)) {
        findings.push({ message: `${path} is an SSH private key file`, path });
        continue;
      }
      if (KEYSTORE.test(path)) {
        findings.push({ message: `${path} is a PKCS#12 keystore (private key and certificate)`, path });
        continue;
      }
      if (!isScannedName && !isScanned(path)) continue; // a candidate passed the name test already
      const file = readText(snapshot, path);
      if (file === undefined) {
        unread += 1;
        continue;
      }
      if (file.text === null) continue; // binary or unreadable: nothing to scan
      scanned += 1;
      if (file.truncated || file.text.length > MAX_SCAN_BYTES) truncated += 1;
      const text = file.text.length > MAX_SCAN_BYTES ? file.text.slice(0, MAX_SCAN_BYTES) : file.text;

      if (/\.(pem|key)$/i.test(name) && PRIVATE_KEY_HEADER.test(text)) {
        findings.push({ message: `${path} holds a private key`, path, line: lineOf(text, PRIVATE_KEY_HEADER) });
        continue;
      }
      if (name === 'credentials.json' && /"private_key"\s*:\s*"-----BEGIN/.test(text)) {
        findings.push({
          message: `${path} is a service-account key file (it holds "private_key")`,
          path,
          line: lineOf(text, /"private_key"/),
        });
        continue;
      }
      if (name === '.git-credentials' && /:\/\/[^:/\s@]+:[^@\s/]+@/.test(text)) {
        findings.push({
          message: `${path} stores Git credentials in clear text`,
          path,
          line: lineOf(text, /:\/\/[^:/\s@]+:[^@\s/]+@/),
        });
        continue;
      }
      if (['.npmrc', '.pypirc', '.netrc', '_netrc'].includes(name)) findings.push(...registryCredentials(path, text));
      for (const match of scanText(text)) {
        findings.push({ message: `${match.rule.label} in ${path}: ${match.redacted}`, path, line: match.line });
      }
    }
    // One finding per line (a token in `.npmrc` is found by both scans; the first, more specific message wins).
    const byLine = new Map<string, Finding>();
    for (const finding of findings) {
      const key = finding.line ? `${finding.path}:${finding.line}` : `${finding.path}:${finding.message}`;
      if (!byLine.has(key)) byLine.set(key, finding);
    }
    // Key material inside test-fixture trees (gin's `testdata/certificate/key.pem`) and test directories (requests'
    // `tests/certs/`) is a warn (CATALOG "Which files count"), as no-committed-env-files judges env files.
    const all = [...byLine.values()];
    const inFixtures = all
      .filter((finding) => finding.path !== undefined && isTestData(finding.path))
      .map((finding) => ({
        ...finding,
        message: `${finding.message} (test fixture; make sure it is not a real credential)`,
      }));
    const unique = all.filter((finding) => finding.path === undefined || !isTestData(finding.path));
    const limits = [
      unread ? `${unread} candidate file(s) past the read limit were not scanned` : '',
      truncated ? `${truncated} file(s) scanned only in their first ${MAX_SCAN_BYTES / 1024} KiB` : '',
    ].filter(Boolean);
    const note = limits.length ? ` (${limits.join('; ')})` : '';
    if (unique.length) {
      const shown = unique.slice(0, MAX_FINDINGS);
      if (unique.length > MAX_FINDINGS) shown.push({ message: `…and ${unique.length - MAX_FINDINGS} more` });
      const files = new Set(unique.map((finding) => finding.path)).size;
      return result.fail(`${unique.length} secret(s) or key file(s) in ${files} file(s) — rotate them${note}`, [
        ...shown,
        ...inFixtures.slice(0, MAX_FINDINGS),
      ]);
    }
    if (inFixtures.length) {
      const files = new Set(inFixtures.map((finding) => finding.path)).size;
      return result.warn(
        `${inFixtures.length} secret(s) or key file(s) only in test fixtures (${files} file(s)): make sure none is a real credential${note}`,
        inFixtures.slice(0, MAX_FINDINGS),
      );
    }
    return result.pass(`no key files and no high-confidence secrets in ${scanned} file(s) scanned${note}`);
  },
});
