import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';

/** Compiled or packaged artefacts by extension, and what each one is (for the finding). */
const ARTIFACTS: Array<{ pattern: RegExp; kind: string }> = [
  { pattern: /\.(exe|msi|efi|sys|drv|ocx)$/i, kind: 'Windows executable or installer' },
  { pattern: /\.dll$/i, kind: 'Windows library' },
  { pattern: /\.so(\.\d+)*$/, kind: 'shared library' },
  { pattern: /\.dylib$/, kind: 'macOS library' },
  { pattern: /\.(o|obj|ko|elf)$/, kind: 'object file' },
  { pattern: /\.(a|lib)$/, kind: 'static library' },
  { pattern: /\.class$/, kind: 'Java class file' },
  { pattern: /\.(jar|war|ear|aar)$/, kind: 'Java archive' },
  { pattern: /\.(pyc|pyo|pyd)$/, kind: 'compiled Python' },
  { pattern: /\.(whl|egg)$/, kind: 'Python package' },
  { pattern: /\.nupkg$/, kind: 'NuGet package' },
  { pattern: /\.gem$/, kind: 'Ruby gem' },
  { pattern: /\.(deb|rpm|apk|aab|ipa|dmg)$/, kind: 'package or app bundle' },
  { pattern: /\.(dex|wasm)$/, kind: 'compiled bytecode' },
  { pattern: /\.(beam|crx|xpi)$/, kind: 'compiled artefact' },
  { pattern: /\.phar$/, kind: 'PHP archive (phar)' },
];

/** Compiler output by name: `a.out`, CMake's compiler-identification binaries under `CMakeFiles/`. */
function isCompilerOutput(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  return name === 'a.out' || (segments.includes('CMakeFiles') && (name.endsWith('.bin') || name.endsWith('.out')));
}

/** Executable formats by their first bytes (hex), for files without an extension. */
const MAGIC: Array<{ prefixes: string[]; kind: string }> = [
  { prefixes: ['7f454c46'], kind: 'ELF executable or library' },
  { prefixes: ['feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'], kind: 'Mach-O executable or library' },
  { prefixes: ['4d5a'], kind: 'Windows PE executable' },
  // A phar is a PHP (or `#!` PHP) stub followed by a binary manifest.
  { prefixes: ['3c3f706870', '2321'], kind: 'PHP archive (phar)' },
];

/** Files without an extension are read (bounded) to look at their first bytes. */
const EXTENSIONLESS = '**/!(*.*)';
const MAX_EXTENSIONLESS = 400;

function byMagic(magic: string | undefined): string | undefined {
  if (!magic) return undefined;
  return MAGIC.find((format) => format.prefixes.some((prefix) => magic.startsWith(prefix)))?.kind;
}

/** Build-tool wrappers that are committed by design (their checksum is verifiable) are exempt. */
const WRAPPER_JARS = /(^|\/)(gradle\/wrapper\/gradle-wrapper\.jar|\.mvn\/wrapper\/maven-wrapper\.jar)$/;
/** Binaries that are test inputs (a parser's sample ELF, a fixture wheel) are deliberate: warn, not fail. */
const TEST_DATA =
  /(^|\/)(testdata|test-?data|fixtures?|__fixtures__|test-fixtures|tests?\/(data|resources|assets|files))\//i;
const MAX_FINDINGS = 100;

function isExtensionless(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !name.includes('.');
}

export default defineCheck({
  id: 'no-binary-artifacts',
  category: 'security',
  severity: 'medium',
  problemTitle: 'Compiled binaries are committed to the repository',
  title: 'No binary artefacts',
  description: [
    'No executables or compiled artefacts are tracked: `.exe`, `.dll`, `.so`, `.dylib`, `.o`/`.obj`, `.a`/`.lib`, `.class`, `.jar`/`.war`/`.ear`/`.aar`, `.pyc`/`.pyo`, `.whl`/`.egg`, `.nupkg`, `.gem`, `.deb`/`.rpm`/`.apk`/`.ipa`/`.dmg`, `.dex`, `.wasm`, `.beam`, `.phar`, `.msi` and the like; `a.out` and CMake’s compiler-identification binaries (`CMakeFiles/…/a.out`, `*.bin`); and files without an extension whose first bytes are ELF, Mach-O, PE or phar magic.',
    'The Gradle and Maven wrapper jars (`gradle/wrapper/gradle-wrapper.jar`, `.mvn/wrapper/maven-wrapper.jar`) are exempt.',
    `Artefacts only under test-data directories (\`testdata/\`, \`fixtures/\`, \`test/resources/\`…) give a warning rather than a failure. Judged from file names, and for files without an extension from their first bytes (up to ${MAX_EXTENSIONLESS} such files are read).`,
  ].join(' '),
  rationale:
    'A binary in the repository cannot be reviewed: nobody can tell whether it was built from the source beside it or carries something else. It is a classic supply-chain foothold (see OpenSSF Scorecard’s Binary-Artifacts), and it bloats every clone.',
  remediation: [
    'Remove the file from Git, build it in CI instead (or fetch it from a release with a checksum), and ignore the pattern:',
    '',
    '```sh',
    'git rm --cached path/to/tool.exe',
    "printf '*.exe\\n*.class\\n__pycache__/\\n' >> .gitignore",
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: [{ glob: EXTENSIONLESS, max: MAX_EXTENSIONLESS }] },
  evaluate({ snapshot }) {
    const found: Array<{ path: string; kind: string; testData: boolean }> = [];
    for (const entry of snapshot.entries) {
      if (entry.kind !== 'file' || WRAPPER_JARS.test(entry.path)) continue;
      const artifact = ARTIFACTS.find((candidate) => candidate.pattern.test(entry.path));
      const kind =
        artifact?.kind ??
        (isCompilerOutput(entry.path) ? 'compiler output' : undefined) ??
        (isExtensionless(entry.path) ? byMagic(snapshot.file(entry.path)?.magic) : undefined);
      if (kind) found.push({ path: entry.path, kind, testData: TEST_DATA.test(entry.path) });
    }
    if (found.length === 0) return result.pass(`no binary artefacts among ${snapshot.entries.length} tracked file(s)`);
    const ordered = [...found.filter((item) => !item.testData), ...found.filter((item) => item.testData)];
    const findings: Finding[] = ordered.slice(0, MAX_FINDINGS).map((item) => ({
      message: `${item.path}: ${item.kind}${item.testData ? ' (test data)' : ''}`,
      path: item.path,
    }));
    if (ordered.length > MAX_FINDINGS) findings.push({ message: `…and ${ordered.length - MAX_FINDINGS} more` });
    const outside = found.filter((item) => !item.testData).length;
    if (outside === 0)
      return result.warn(`${found.length} binary artefact(s), all under test-data directories`, findings);
    return result.fail(
      `${outside} binary artefact(s) tracked${found.length > outside ? ` (and ${found.length - outside} under test data)` : ''}`,
      findings,
    );
  },
});
