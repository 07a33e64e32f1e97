import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { isRecord, readJson, readToml } from '../../src/parsers/structured.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { caseInsensitiveGlob } from '../lib/community-files.js';
import { detectLicenseText, expressionMentions } from '../lib/licenses.js';
import { spdxLicenseIds } from '../../src/parsers/spdx.js';

/** LICENSE, LICENCE, COPYING, UNLICENSE at the root, with any suffix (LICENSE.md, LICENSE-MIT, COPYING.LESSER) or Ruby's and Rails' MIT-LICENSE, but not code. */
const LICENSE_FILE = /^(?:mit[-_])?(licen[cs]e|copying|unlicen[cs]e)([-_.][A-Za-z0-9.-]+)?$/i;
const NOT_A_LICENSE = /\.(js|cjs|mjs|ts|py|go|rs|rb|java|kt|json|ya?ml|toml|html?|xml|sh)$/i;
/** REUSE (reuse.software) keeps one file per license in LICENSES/, named by SPDX id. */
const REUSE_FILE = /^LICENSES\/([A-Za-z0-9.+-]+)\.(txt|md)$/;
/** `license` values that are not a license: npm's "UNLICENSED", "SEE LICENSE IN …", "proprietary". */
const NOT_SPDX = /^(unlicensed|proprietary|see licen[cs]e in .*|other|none|unknown|licenseref-.*|commercial|private)$/i;

interface Declared {
  path: string;
  value: string;
}

function declaredLicenses(snapshot: RepoSnapshot): Declared[] {
  const declared: Declared[] = [];
  const add = (path: string, value: unknown) => {
    if (typeof value === 'string' && value.trim()) declared.push({ path, value: value.trim() });
  };
  const pkg = readJson(snapshot, 'package.json');
  if (pkg?.ok && isRecord(pkg.value)) {
    const license = pkg.value.license;
    add('package.json', isRecord(license) ? license.type : license);
    if (Array.isArray(pkg.value.licenses))
      for (const item of pkg.value.licenses) add('package.json', isRecord(item) ? item.type : item);
  }
  const composer = readJson(snapshot, 'composer.json');
  if (composer?.ok && isRecord(composer.value)) {
    const license = composer.value.license;
    if (Array.isArray(license)) add('composer.json', license.filter((item) => typeof item === 'string').join(' OR '));
    else add('composer.json', license);
  }
  const pyproject = readToml(snapshot, 'pyproject.toml');
  if (pyproject?.ok) {
    const project = pyproject.value.project;
    if (isRecord(project)) {
      const license = project.license;
      if (typeof license === 'string') add('pyproject.toml', license);
      else if (isRecord(license) && typeof license.text === 'string' && license.text.length < 100)
        add('pyproject.toml', license.text);
    }
    const tool = pyproject.value.tool;
    if (isRecord(tool) && isRecord(tool.poetry)) add('pyproject.toml', tool.poetry.license);
  }
  const cargo = readToml(snapshot, 'Cargo.toml');
  if (cargo?.ok) {
    const pkgTable = cargo.value.package;
    if (isRecord(pkgTable)) add('Cargo.toml', pkgTable.license);
    const workspace = cargo.value.workspace;
    if (isRecord(workspace) && isRecord(workspace.package)) add('Cargo.toml', workspace.package.license);
  }
  const setupCfg = snapshot.has('setup.cfg') ? snapshot.text('setup.cfg') : undefined;
  const metadata = setupCfg ? /^\[metadata\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(setupCfg) : null;
  const cfgLicense = metadata ? setupCfgLicense(metadata[1]) : undefined;
  if (cfgLicense && !/^file:/.test(cfgLicense)) add('setup.cfg', cfgLicense);
  const rootEntries = snapshot.index.childrenOfNumber(snapshot.index.directoryNumber(''));
  for (const gemspec of rootEntries.filter((entry) => /^[^/]+\.gemspec$/.test(entry.path))) {
    const text = snapshot.text(gemspec.path);
    const match = text ? /\.licen[cs]es?\s*=\s*(?:\[\s*)?["']([^"']+)["']/.exec(text) : null;
    if (match) add(gemspec.path, match[1]);
  }
  return declared;
}

function isSpdxExpression(value: string): boolean {
  return !NOT_SPDX.test(value) && spdxLicenseIds(value) !== undefined;
}

function readLicense(snapshot: RepoSnapshot, entry: TreeEntry): { spdx?: string; problem?: string } {
  const reuse = REUSE_FILE.exec(entry.path);
  if (reuse) return { spdx: reuse[1] };
  const file = snapshot.file(entry.path);
  if (!file || file.text === null) {
    return {
      problem: file?.binary
        ? 'is a binary file'
        : entry.kind === 'symlink'
          ? 'is a symlink (not followed)'
          : `could not be read (${file?.error ?? 'unknown error'})`,
    };
  }
  if (!file.text.trim()) return { problem: 'is empty' };
  const spdx = detectLicenseText(file.text);
  return spdx ? { spdx } : {};
}

export default defineCheck({
  id: 'license-present',
  category: 'foundations',
  severity: 'high',
  problemTitle: 'The repository has no license',
  title: 'License present',
  description:
    "A LICENSE, LICENCE, COPYING or UNLICENSE file (any case, any suffix: `LICENSE.md`, `LICENSE-MIT`, `COPYING.LESSER`) exists at the root, or REUSE's `LICENSES/` folder, or — from the GitHub source — GitHub detects a license. The SPDX id is reported, recognised from the text (MIT, Apache-2.0, BSD-2/3-Clause, GPL/LGPL/AGPL, MPL-2.0, ISC, Unlicense, BSL-1.0, EPL, CC0-1.0, Zlib, BUSL-1.1 and others) or from the `license` field of package.json, pyproject.toml, Cargo.toml, composer.json, setup.cfg or a gemspec. It warns when the license cannot be recognised.",
  rationale:
    "Without a license nobody may legally use, copy or change the code, whatever the README says; with an unrecognisable one, every user's legal team has to read it. A standard license text, recognised by tools, settles the question.",
  remediation: [
    'Add `LICENSE` at the repository root with the unmodified text of a standard license (choosealicense.com), and declare the same SPDX id in the package manifest:',
    '',
    '```text',
    'MIT License',
    '',
    'Copyright (c) 2024 Example Corp',
    '',
    'Permission is hereby granted, free of charge, to any person obtaining a copy',
    '… (the rest of the MIT text, unchanged)',
    '```',
    '',
    'For code that is not open source, say so in `LICENSE` ("Copyright … All rights reserved.") and turn this check off or lower it in `.github/shipready.yml`.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: {
    files: [
      ...['license', 'licence', 'copying', 'unlicense', 'unlicence'].map(
        (name) => `${caseInsensitiveGlob(name)}{,[-_.]*}`,
      ),
      // Ruby's and Rails' convention (rack, rails): MIT-LICENSE.
      ...['license', 'licence'].map((name) => `${caseInsensitiveGlob('mit')}[-_]${caseInsensitiveGlob(name)}{,[-_.]*}`),
      { glob: 'LICENSES/*', max: 20 },
    ],
    settings: ['detectedLicense'],
  },
  evaluate({ snapshot }) {
    const files = snapshot.entries.filter(
      (entry) =>
        entry.kind !== 'submodule' &&
        ((LICENSE_FILE.test(entry.path) && !NOT_A_LICENSE.test(entry.path)) || REUSE_FILE.test(entry.path)),
    );
    const declared = declaredLicenses(snapshot);
    const detected = snapshot.setting('detectedLicense');
    const github =
      detected.status === 'ok' && detected.value?.spdxId && detected.value.spdxId !== 'NOASSERTION'
        ? detected.value
        : undefined;

    const recognised: Array<{ path: string; spdx: string }> = [];
    const findings: Finding[] = [];
    for (const entry of files) {
      const { spdx, problem } = readLicense(snapshot, entry);
      if (spdx) recognised.push({ path: entry.path, spdx });
      else
        findings.push({
          message: problem ? `${entry.path} ${problem}` : `${entry.path}: the text matches no known license`,
          path: entry.path,
          ...(problem ? {} : { line: 1 }),
        });
    }
    const spdxDeclared = declared.filter((item) => isSpdxExpression(item.value));
    const mismatches = recognised.length
      ? spdxDeclared.filter((item) => !recognised.some((file) => expressionMentions(item.value, file.spdx)))
      : [];
    for (const item of mismatches) {
      findings.push({
        message: `${item.path} declares "${item.value}" but the license file says ${recognised.map((file) => file.spdx).join(', ')}`,
        path: item.path,
      });
    }

    if (recognised.length) {
      const ids = [...new Set(recognised.map((file) => file.spdx))];
      const where =
        recognised.length > 3 ? `${recognised.length} files` : recognised.map((file) => file.path).join(', ');
      return result.pass(`${ids.join(', ')} (${where})`, mismatches.length ? findings : []);
    }
    if (files.length) {
      const paths = files.map((entry) => entry.path).join(', ');
      if (github) return result.pass(`${github.spdxId} (detected by GitHub in ${github.path ?? paths})`);
      if (spdxDeclared.length)
        return result.pass(
          `${spdxDeclared[0].value} (declared in ${spdxDeclared[0].path}; the text of ${paths} was not recognised)`,
        );
      const declaredNote = declared.length ? `; ${declared[0].path} says "${declared[0].value}"` : '';
      return result.warn(`License not recognised in ${paths}${declaredNote}`, findings);
    }
    if (github) return result.pass(`${github.spdxId} (detected by GitHub${github.path ? ` in ${github.path}` : ''})`);
    const declaredNote = declared.length
      ? ` (${declared[0].path} declares "${declared[0].value}", but no file holds the license text)`
      : '';
    return result.fail(`No license file${declaredNote}`, [
      {
        message: `no LICENSE, LICENCE, COPYING or UNLICENSE file at the repository root${declaredNote}; add LICENSE with the full license text`,
        ...(declared.length ? { path: declared[0].path } : {}),
      },
    ]);
  },
});

/** The `license = …` value of a setup.cfg [metadata] section (a value with a `#` comment is not taken). */
function setupCfgLicense(section: string): string | undefined {
  for (const line of section.split('\n')) {
    const key = /^[ \t]*license[ \t]*=/.exec(line);
    if (!key) continue;
    const value = line.slice(key[0].length).trim();
    return value && !value.includes('#') ? value : undefined;
  }
  return undefined;
}
