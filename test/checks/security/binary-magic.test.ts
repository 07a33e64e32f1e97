import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/no-binary-artifacts.js';
import { runCheck } from '../../helpers/run-check.js';

const bytes = (hex: string, filler = 64) => new Uint8Array([...Buffer.from(hex, 'hex'), ...new Uint8Array(filler)]);

describe('no-binary-artifacts: files without an extension and compiler output', () => {
  it('finds ELF, Mach-O, PE and phar files by their first bytes, a.out and CMake compiler-id binaries', async () => {
    const report = await runCheck(check, {
      'README.md': '# tool\n',
      'bin/tool-linux': bytes('7f454c46020101'),
      'bin/tool-darwin': bytes('cffaedfe07000001'),
      'bin/tool-windows': bytes('4d5a9000'),
      'tools/composer': new Uint8Array([
        ...Buffer.from('#!/usr/bin/env php\n<?php Phar::mapPhar(); __HALT_COMPILER(); ?>\r\n'),
        0,
        1,
        2,
      ]),
      'a.out': bytes('7f454c46'),
      'build-x/CMakeFiles/3.28.1/CompilerIdC/CMakeCCompilerId.bin': bytes('0000'),
      // Text files without an extension are not binaries.
      Makefile: 'all:\n\tcc main.c\n',
      'scripts/release': '#!/bin/sh\necho release\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.message).sort()).toEqual([
      'a.out: compiler output',
      'bin/tool-darwin: Mach-O executable or library',
      'bin/tool-linux: ELF executable or library',
      'bin/tool-windows: Windows PE executable',
      'build-x/CMakeFiles/3.28.1/CompilerIdC/CMakeCCompilerId.bin: compiler output',
      'tools/composer: PHP archive (phar)',
    ]);
  });
});
