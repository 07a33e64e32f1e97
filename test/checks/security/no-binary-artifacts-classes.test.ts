import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/no-binary-artifacts.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { configSchema } from '../../../src/config/schema.js';
import { MemorySource } from '../../../src/snapshot/memory-source.js';
import type { FileText, ReadLimits, TreeEntry } from '../../../src/snapshot/types.js';
import { runCheck } from '../../helpers/run-check.js';

const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]);
const machO = new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]);
const pe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
// A phar: a `#!`/PHP stub, `__HALT_COMPILER();`, then the binary manifest (NUL bytes).
const phar = new Uint8Array([...Buffer.from('#!/usr/bin/env php\n<?php __HALT_COMPILER(); ?>\r\n'), 0x2a, 0, 0, 0, 1]);

/** GitHub's GraphQL blob answer says `isBinary` and gives no bytes: the first bytes are unknown. */
class GitHubLikeSource extends MemorySource {
  override async readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>> {
    const files = await super.readFiles(entries, limits);
    for (const [path, file] of files) if (file.binary) files.set(path, { ...file, magic: undefined });
    return files;
  }
}

describe('no-binary-artifacts: file classes and binaries without an extension', () => {
  it('takes binaries in a test playground for test data (vite: playground/wasm/*.wasm)', async () => {
    const report = await runCheck(check, {
      'playground/wasm/heavy.wasm': wasm,
      'playground/wasm/index.html': '<script type="module" src="./main.js"></script>\n',
      'packages/vite/src/node/index.ts': 'export {};\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings).toEqual([
      { message: 'playground/wasm/heavy.wasm: compiled bytecode (test data)', path: 'playground/wasm/heavy.wasm' },
    ]);
  });

  it('counts ELF, Mach-O, PE and phar files without an extension, a.out and CMake compiler-id binaries', async () => {
    const report = await runCheck(check, {
      'bin/tool-linux': elf,
      'bin/tool-darwin': machO,
      'bin/tool-win': pe,
      'bin/composer': phar,
      'a.out': elf,
      'CMakeFiles/3.28.1/CompilerIdC/a.out': elf,
      'CMakeFiles/3.28.1/CMakeDetermineCompilerABI_C.bin': elf,
      'bin/run': '#!/bin/sh\nexec node cli.js "$@"\n',
      'gradle/wrapper/gradle-wrapper.jar': elf,
      'tools/sub/.mvn/wrapper/maven-wrapper.jar': elf,
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toBe('7 binary artefact(s) tracked');
    expect(Object.fromEntries(report.findings.map((finding) => [finding.path, finding.message]))).toEqual({
      'CMakeFiles/3.28.1/CMakeDetermineCompilerABI_C.bin':
        'CMakeFiles/3.28.1/CMakeDetermineCompilerABI_C.bin: compiler output',
      'CMakeFiles/3.28.1/CompilerIdC/a.out': 'CMakeFiles/3.28.1/CompilerIdC/a.out: compiler output',
      'a.out': 'a.out: compiler output',
      'bin/composer': 'bin/composer: PHP archive (phar)',
      'bin/tool-darwin': 'bin/tool-darwin: Mach-O executable or library',
      'bin/tool-linux': 'bin/tool-linux: ELF executable or library',
      'bin/tool-win': 'bin/tool-win: Windows PE executable',
    });
  });

  it('on GitHub, says which extensionless binary files it could not check', async () => {
    const report = await evaluateRepository({
      source: new GitHubLikeSource(
        { 'bin/tool-linux': elf, 'lib/x.so': elf, 'README.md': '# x\n' },
        { kind: 'github' },
      ),
      checks: [check],
      config: configSchema.parse({}),
    });
    const entry = report.checks[0];
    expect(entry.outcome).toBe('fail');
    expect(entry.summary).toBe(
      '1 binary artefact(s) tracked; 1 binary file(s) without an extension not checked for executable magic (the source gave no bytes: bin/tool-linux)',
    );
  });
});
