import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/no-binary-artifacts.js';
import { runCheck } from '../../helpers/run-check.js';

const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]);

describe('no-binary-artifacts', () => {
  it('passes on sources only, and exempts the Gradle and Maven wrapper jars', async () => {
    const report = await runCheck(check, {
      'src/Main.java': 'class Main {}\n',
      'gradle/wrapper/gradle-wrapper.jar': bytes,
      '.mvn/wrapper/maven-wrapper.jar': bytes,
      'docs/example.com.md': '# example.com\n',
      '__tests__/__snapshots__/a.test.js.snap': 'exports[`x`] = `y`;\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/no binary artefacts among 5 tracked/);
  });

  it('fails on compiled artefacts and names each path', async () => {
    const report = await runCheck(check, {
      'bin/tool.exe': bytes,
      'lib/libfoo.so.1.2': bytes,
      'build/classes/Main.class': bytes,
      'libs/vendor.jar': bytes,
      'app/__pycache__/mod.cpython-312.pyc': bytes,
      'dist/pkg-1.0-py3-none-any.whl': bytes,
      'src/main.c': 'int main(void) { return 0; }\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toBe('6 binary artefact(s) tracked');
    expect(report.findings.map((finding) => finding.path).sort()).toEqual([
      'app/__pycache__/mod.cpython-312.pyc',
      'bin/tool.exe',
      'build/classes/Main.class',
      'dist/pkg-1.0-py3-none-any.whl',
      'lib/libfoo.so.1.2',
      'libs/vendor.jar',
    ]);
    expect(report.findings.find((finding) => finding.path === 'libs/vendor.jar')?.message).toMatch(/Java archive/);
  });

  it('warns when the only binaries are test data', async () => {
    const report = await runCheck(check, { 'debug/elf/testdata/hello.so': bytes, 'tests/fixtures/sample.whl': bytes });
    expect(report.outcome).toBe('warn');
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0].message).toMatch(/\(test data\)/);
  });

  it('caps the findings and gives the total', async () => {
    const files = Object.fromEntries(Array.from({ length: 130 }, (_, index) => [`out/obj${index}.o`, bytes]));
    const report = await runCheck(check, files);
    expect(report.outcome).toBe('fail');
    expect(report.findings).toHaveLength(101);
    expect(report.findings[100].message).toBe('…and 30 more');
  });

  it('ignores symlinks and submodules whose names look like artefacts', async () => {
    const report = await runCheck(check, {
      'lib/current.so': { content: 'libfoo.so.1', kind: 'symlink' },
      'third_party/tool.exe': { content: '', kind: 'submodule' },
      'README.md': '# x\n',
    });
    expect(report.outcome).toBe('pass');
  });
});
