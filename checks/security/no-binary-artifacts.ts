import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { isBuildToolWrapper } from '../../src/engine/file-classes.js';
import { isTestData } from '../lib/source-files.js';

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

/** Compiler output by name: `a.out`, CMake's compiler-identification binaries (`CMakeFiles/…/CompilerIdC/a.out`, `*.bin`). */
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

const MAX_FINDINGS = 100;

function isExtensionless(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !name.includes('.');
}

/** True for the names the loop can flag: artefact extensions, compiler output names, names without an extension. */
function mayBeArtifactName(name: string): boolean {
  return (
    ARTIFACTS.some((candidate) => candidate.pattern.test(name)) ||
    name === 'a.out' ||
    name.endsWith('.bin') ||
    name.endsWith('.out') ||
    !name.includes('.')
  );
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
    `Artefacts only under test-data directories (test-fixture trees such as \`testdata/\`, \`fixtures/\`, \`playground/\`, and test directories such as \`tests/\`, \`src/test/resources/\`) give a warning rather than a failure. Judged from file names, and for files without an extension from their first bytes (up to ${MAX_EXTENSIONLESS} such files are read).`,
    'The local source reads those bytes; GitHub’s API only says that a blob is binary, so on GitHub an extensionless binary file is not checked for magic, and the summary names the files left unchecked.',
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
    /** Extensionless binary files whose first bytes the source did not give (GitHub's API says only "binary"). */
    const unchecked: string[] = [];
    // Every test below goes by the base name (an artefact's extension, `a.out`, `*.bin`/`*.out` under CMakeFiles, no
    // extension): the tree index picks those names once, and only their entries are judged.
    const candidates = snapshot.index.where('no-binary-artifacts:candidates', { name: mayBeArtifactName });
    for (const entry of candidates) {
      // Wrapper jars are committed by design; binaries that are test inputs (a parser's sample ELF, a fixture
      // wheel, a playground's .wasm) are deliberate: warn, not fail (src/engine/file-classes.ts decides both).
      if (entry.kind !== 'file' || isBuildToolWrapper(entry.path)) continue;
      const artifact = ARTIFACTS.find((candidate) => candidate.pattern.test(entry.path));
      let kind = artifact?.kind ?? (isCompilerOutput(entry.path) ? 'compiler output' : undefined);
      if (!kind && isExtensionless(entry.path)) {
        const file = snapshot.file(entry.path);
        kind = byMagic(file?.magic);
        if (file?.binary && file.magic === undefined) unchecked.push(entry.path);
      }
      if (kind) found.push({ path: entry.path, kind, testData: isTestData(entry.path) });
    }
    const note = unchecked.length
      ? `; ${unchecked.length} binary file(s) without an extension not checked for executable magic (the source gave no bytes: ${unchecked.slice(0, 3).join(', ')}${unchecked.length > 3 ? ', …' : ''})`
      : '';
    if (found.length === 0)
      return result.pass(`no binary artefacts among ${snapshot.entries.length} tracked file(s)${note}`);
    const ordered = [...found.filter((item) => !item.testData), ...found.filter((item) => item.testData)];
    const findings: Finding[] = ordered.slice(0, MAX_FINDINGS).map((item) => ({
      message: `${item.path}: ${item.kind}${item.testData ? ' (test data)' : ''}`,
      path: item.path,
    }));
    if (ordered.length > MAX_FINDINGS) findings.push({ message: `…and ${ordered.length - MAX_FINDINGS} more` });
    const outside = found.filter((item) => !item.testData).length;
    if (outside === 0)
      return result.warn(`${found.length} binary artefact(s), all under test-data directories${note}`, findings);
    return result.fail(
      `${outside} binary artefact(s) tracked${found.length > outside ? ` (and ${found.length - outside} under test data)` : ''}${note}`,
      findings,
    );
  },
});
