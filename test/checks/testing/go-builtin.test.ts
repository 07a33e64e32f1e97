import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/testing/test-framework-configured.js';
import { runCheck } from '../../helpers/run-check.js';

describe('test-framework-configured: go test is built in (issue 9)', () => {
  it('a placeholder npm `test` script beside Go tests does not make the framework warn', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module example.com/x\n\ngo 1.22\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      'main_test.go': 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
      'web/app.js': 'export const x = 1;\n',
      'package.json': JSON.stringify({
        name: 'x-docs',
        scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'markdownlint .' },
        devDependencies: { 'markdownlint-cli': '^0.41.0' },
      }),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/go test/);
  });
});
