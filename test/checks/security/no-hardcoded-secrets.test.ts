import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/no-hardcoded-secrets.js';
import { isPlaceholder, redact, scanText } from '../../../checks/lib/secret-patterns.js';
import { runCheck } from '../../helpers/run-check.js';
import { fake, randomString } from './fake-secrets.js';

const ALL_MESSAGES = (report: { findings: Array<{ message: string }> }) =>
  report.findings.map((finding) => finding.message).join('\n');

describe('no-hardcoded-secrets', () => {
  it('passes on a clean repository that reads secrets from the environment', async () => {
    const report = await runCheck(check, {
      'src/index.js': 'const token = process.env.GITHUB_TOKEN;\nexport default token;\n',
      '.github/workflows/ci.yml':
        'jobs:\n  x:\n    steps:\n      - run: echo\n        env:\n          TOKEN: ${{ secrets.NPM_TOKEN }}\n',
      '.npmrc': '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nsave-exact=true\n',
      '.pypirc': '[pypi]\nusername = __token__\npassword = %(PYPI_TOKEN)s\n',
      'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/no key files and no high-confidence secrets in \d+ file/);
  });

  const cases: Array<[string, string, string, RegExp, number]> = [
    ['GitHub token', 'src/config.ts', `export const token = '${fake.githubToken()}';\n`, /GitHub token/, 1],
    [
      'GitHub fine-grained token',
      'scripts/release.sh',
      `#!/bin/sh\nGH_TOKEN=${fake.githubFineGrained()} gh release create\n`,
      /fine-grained/,
      2,
    ],
    ['AWS access key id', 'config/app.yml', `aws:\n  access_key_id: ${fake.awsKeyId()}\n`, /AWS access key id/, 2],
    [
      'AWS secret access key',
      'settings.py',
      `AWS_SECRET_ACCESS_KEY = "${fake.awsSecret()}"\n`,
      /AWS secret access key/,
      1,
    ],
    ['Slack bot token', 'bot.py', `client = WebClient(token="${fake.slackBot()}")\n`, /Slack token/, 1],
    ['Slack webhook', 'notify.js', `fetch('${fake.slackWebhook()}', { method: 'POST' });\n`, /Slack webhook/, 1],
    ['Stripe live key', 'billing.rb', `Stripe.api_key = '${fake.stripeLive()}'\n`, /Stripe live/, 1],
    ['Google API key', 'web/maps.ts', `const key = "${fake.googleKey()}";\n`, /Google API key/, 1],
    [
      'npm token',
      'publish.sh',
      `npm config set //registry.npmjs.org/:_authToken ${fake.npmToken()}\n`,
      /npm access token/,
      1,
    ],
    ['OpenAI key', 'ai.py', `openai.api_key = "${fake.openaiKey()}"\n`, /OpenAI/, 1],
    [
      'Anthropic key',
      'llm.ts',
      `const client = new Anthropic({ apiKey: '${fake.anthropicKey()}' });\n`,
      /Anthropic/,
      1,
    ],
    ['SendGrid key', 'mail.go', `package mail\n\nconst key = "${fake.sendgridKey()}"\n`, /SendGrid/, 3],
    ['Twilio API key', 'sms.php', `<?php\n$sid = '${fake.twilioKey()}';\n`, /Twilio/, 2],
    [
      'private key block in code',
      'src/keys.js',
      `export const key = \`${fake.privateKeyBlock()}\`;\n`,
      /private key block/,
      1,
    ],
    [
      'private key with \\n escapes in JSON',
      'config/sa.json',
      `{\n  "key": "${fake.privateKeyBlock('').replace(/\n/g, '\\n')}"\n}\n`,
      /private key block/,
      2,
    ],
  ];

  it.each(cases)('fails on a %s, with path, line and a redacted value', async (_name, path, content, label, line) => {
    const report = await runCheck(check, { [path]: content, 'README.md': '# x\n' });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0);
    const finding = report.findings.find((candidate) => label.test(candidate.message));
    expect(finding).toBeDefined();
    expect(finding?.path).toBe(path);
    expect(finding?.line).toBe(line);
    // Redaction: no more than 4 characters of the secret at either end, never the whole value.
    for (const word of content.split(/[\s'"`=(),;]+/))
      if (word.length >= 20) expect(ALL_MESSAGES(report)).not.toContain(word.slice(4, -4));
  });

  it('redacts to at most the first and last 4 characters', () => {
    const token = fake.githubToken();
    expect(redact(token)).toBe(`${token.slice(0, 4)}…${token.slice(-4)}`);
    expect(redact('short-secret')).toBe('sh…et');
    expect(redact('abc')).toBe('…');
  });

  it('reports key files by name: SSH keys, keystores, service-account JSON, .pem/.key with a private key', async () => {
    const report = await runCheck(check, {
      'deploy/id_rsa': fake.privateKeyBlock(),
      'deploy/id_ed25519.pub': 'ssh-ed25519 AAAAC3Nz user@host\n',
      'certs/client.p12': new Uint8Array([0x30, 0x82, 0, 1, 2]),
      'certs/server.key': fake.privateKeyBlock('EC '),
      'certs/server.crt': '-----BEGIN CERTIFICATE-----\n',
      'credentials.json': `{\n  "type": "service_account",\n  "private_key": "${fake.privateKeyBlock('').replace(/\n/g, '\\n')}"\n}\n`,
    });
    expect(report.outcome).toBe('fail');
    const byPath = new Map(report.findings.map((finding) => [finding.path, finding]));
    expect(byPath.get('deploy/id_rsa')?.message).toMatch(/SSH private key/);
    expect(byPath.has('deploy/id_ed25519.pub')).toBe(false);
    expect(byPath.get('certs/client.p12')?.message).toMatch(/keystore/);
    expect(byPath.get('certs/server.key')).toMatchObject({ line: 1 });
    expect(byPath.get('credentials.json')).toMatchObject({ line: 3 });
    expect(byPath.get('credentials.json')?.message).toMatch(/service-account/);
    expect(byPath.has('certs/server.crt')).toBe(false);
  });

  it('flags literal tokens in .npmrc and .pypirc but not references', async () => {
    const npm = fake.npmToken();
    const report = await runCheck(check, {
      '.npmrc': `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${npm}\n`,
      'packages/a/.npmrc': '//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}\n',
      '.pypirc': `[pypi]\nusername = __token__\npassword = pypi-AgE${'Ni' + fake.awsSecret()}${fake.awsSecret()}\n`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.filter((finding) => finding.path === '.npmrc').map((finding) => finding.line)).toEqual([2]);
    expect(report.findings.some((finding) => finding.path === 'packages/a/.npmrc')).toBe(false);
    expect(report.findings.find((finding) => finding.path === '.pypirc')).toMatchObject({ line: 3 });
    expect(ALL_MESSAGES(report)).not.toContain(npm.slice(4, -4));
  });

  it('does not match documented examples, placeholders, sequences or header comparisons', async () => {
    const report = await runCheck(check, {
      'docs/aws.md': `Use a key like ${'AKIA' + 'IOSFODNN7EXAMPLE'} and ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY'}.\n`,
      'README.md': [
        `export GITHUB_TOKEN=${'ghp_' + 'x'.repeat(36)}`,
        `export GITHUB_TOKEN=${'ghp_' + '1234567890abcdefghijklmnopqrstuvwxyz'}`,
        'token: <token>',
        'SLACK_TOKEN=your-token-here',
        `webhook: ${'https://hooks.slack.com/services/' + 'T00000000/B00000000/' + 'X'.repeat(24)}`,
        `stripe: ${'sk_live_' + 'your_key_here_0000000000'}`,
        '',
      ].join('\n'),
      'src/pem.ts': "export const isKey = (pem: string) => pem.startsWith('-----BEGIN RSA PRIVATE KEY-----');\n",
      // A truncated key in a redaction test (seen in real repositories): not a full 64-character line.
      'tests/test_redact.py': `pem = "${'-----BEGIN RSA ' + 'PRIVATE KEY-----'}\\nMIIEowIBAAKCAQEA04qgU2xX1L8mYF3k6T...\\n-----END RSA PRIVATE KEY-----"\n`,
      '.github/workflows/release.yml':
        'env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n',
      'config/aws.ts': 'export const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;\n',
    });
    expect(report.findings).toEqual([]);
    expect(report.outcome).toBe('pass');
  });

  it('does not flag the fake tokens public test suites use (shapes seen in real repositories)', async () => {
    const report = await runCheck(check, {
      'tests/test_scanner.py': [
        `text = "Slack bot token: ${'xoxb-' + '1234567890-abcdefghij'}"`,
        `g.Evaluate([]byte(\`${'sk_live_' + '123456789012345678901234567890'}\`))`,
        `token = "${'xoxb-' + '123456789012-1234567890123-ABCdefGHIjklMNOpqrSTUvwx'}"`,
        `STRIPE_SECRET_KEY=${'sk_live_' + 'xxxxxxxxxxxxxxxxxxxxx'}`,
        '',
      ].join('\n'),
    });
    expect(report.findings).toEqual([]);
  });

  it('skips lockfiles, minified bundles and node_modules', async () => {
    const token = fake.githubToken();
    const report = await runCheck(check, {
      'package-lock.json': `{"x":"${token}"}`,
      'dist/app.min.js': `var t="${token}";`,
      'node_modules/pkg/index.js': `module.exports = "${token}";`,
      'src/app.js': 'export {}\n',
    });
    expect(report.outcome).toBe('pass');
  });

  it('honours an inline shipready-ignore comment for a deliberate test key', async () => {
    const report = await runCheck(check, {
      'test/keys.ts': `// shipready-ignore no-hardcoded-secrets: throwaway key for the signature test\nexport const key = '${fake.stripeLive()}';\n`,
    });
    expect(report.outcome).toBe('pass');
    expect(report.findings[0]?.suppressed?.reason).toMatch(/throwaway/);
  });

  it('copes with binary, empty and huge files without throwing', async () => {
    const huge = `${'const a = 1;\n'.repeat(60000)}const t = '${fake.githubToken()}';\n`;
    const report = await runCheck(check, {
      'bin/tool.json': new Uint8Array([0x7b, 0, 0, 0x7d]),
      'empty.yml': '',
      'src/huge.js': huge,
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/scanned only in their first 512 KiB/);
  });

  it('reports many secrets with a cap and a total', async () => {
    const lines = Array.from(
      { length: 120 },
      (_, index) => `k${index} = "${'AI' + 'za' + randomString(35, undefined, 100 + index)}"`,
    );
    const report = await runCheck(check, { 'keys.py': `${lines.join('\n')}\n` });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toMatch(/^120 secret/);
    expect(report.findings).toHaveLength(101);
    expect(report.findings[100].message).toBe('…and 20 more');
  });

  it('keeps placeholder detection strict enough for random tokens', () => {
    expect(isPlaceholder(fake.githubToken(), 4)).toBe(false);
    expect(isPlaceholder(`ghp_${'ab'.repeat(18)}`, 4)).toBe(true);
    expect(isPlaceholder(`ghp_${'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'}`, 4)).toBe(true);
    expect(isPlaceholder(`sk_live_${'1234567890'.repeat(3)}`, 8)).toBe(true);
    expect(scanText(`x = ${'AKIA' + 'IOSFODNN7EXAMPLE'}`)).toEqual([]);
  });
});

describe('no-hardcoded-secrets, test-fixture trees (issue 9)', () => {
  const key = ['-----BEGIN RSA PRIVATE KEY-----', randomString(64), '-----END RSA PRIVATE KEY-----', ''].join('\n');

  it("gin-gonic/gin's testdata/certificate/key.pem is a warn, not a critical fail", async () => {
    const report = await runCheck(check, {
      'go.mod': 'module github.com/gin-gonic/gin\n',
      'testdata/certificate/key.pem': key,
      'testdata/certificate/cert.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'testdata/certificate/key.pem' });
    expect(report.findings[0].message).toContain('test fixture; make sure it is not a real credential');
  });

  it('the same key outside a fixture tree still fails, and lists the fixture one after it', async () => {
    const report = await runCheck(check, { 'deploy/key.pem': key, 'src/__tests__/fixtures/key.pem': key });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.path)).toEqual([
      'deploy/key.pem',
      'src/__tests__/fixtures/key.pem',
    ]);
  });
});
