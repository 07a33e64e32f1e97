import { describe, expect, it } from '@jest/globals';
import { containerChecks } from '../../../checks/container/index.js';
import { runChecks } from '../../helpers/run-check.js';

/** Dockerfiles people really commit by mistake or by habit: none of them may make a container check error. */
const odd: Record<string, string | Uint8Array> = {
  Dockerfile: '',
  'a/Dockerfile': '# only a comment\n',
  'b/Dockerfile': 'FROM\nUSER\nHEALTHCHECK\nENV\nARG\nCOPY\n',
  'c/Dockerfile': 'FROM alpine:3 AS\nFROM a b c d\nRUN <<EOF\nnever closed',
  'd/Dockerfile': 'from ${UNSET}:${ALSO_UNSET} as x\nfrom x\nuser $NOPE\n',
  'e/Dockerfile': '\\\n\\\n\\',
  'f/Dockerfile': 'CMD ["unterminated\nENTRYPOINT [1, 2]\nFROM scratch\n',
  'g/Dockerfile': new Uint8Array([0xff, 0xfe, 0, 0x46, 0, 0x52]),
  'h/Dockerfile':
    '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir `\n  C:\\\nUSER ContainerAdministrator\n',
  'i/Containerfile': 'FROM alpine:3\n' + 'RUN echo x \\\n'.repeat(2000) + '  && true\n',
  'compose.yaml': 'services:\n  a: !!binary x\n  b: *missing\n',
  '.dockerignore': '!\n!!\n[\n**/\n/\n',
};

describe('odd Dockerfile syntax', () => {
  it('never makes a container check error, and every check returns an outcome', async () => {
    const report = await runChecks(containerChecks, odd);
    expect(report.checks.map((check) => [check.id, check.outcome === 'error' ? check.summary : 'ok'])).toEqual(
      containerChecks.map((check) => [check.id, 'ok']),
    );
    const nonRoot = report.checks.find((check) => check.id === 'dockerfile-runs-as-non-root')!;
    expect(
      nonRoot.findings.some(
        (finding) => finding.path === 'g/Dockerfile' && finding.message.includes('could not be evaluated'),
      ),
    ).toBe(true);
    expect(nonRoot.findings.some((finding) => finding.path === 'h/Dockerfile')).toBe(false);
  });
});
