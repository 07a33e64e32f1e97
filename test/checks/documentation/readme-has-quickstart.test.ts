import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/documentation/readme-has-quickstart.js';
import { listHeadings } from '../../../checks/lib/community-files.js';
import { listCodeBlocks } from '../../../src/parsers/markdown.js';
import { runCheck as runAnyCheck, type RepoFiles, type RunOptions } from '../../helpers/run-check.js';

// These fixtures hold only a README, which is a docs repository, where this check does not apply (CATALOG, docs
// profile): judge them as the library they stand for.
const runCheck = (definition: typeof check, files: RepoFiles, options: RunOptions = {}) =>
  runAnyCheck(definition, files, { ...options, config: { profile: 'library', ...options.config } });

const fence = '```';

describe('readme-has-quickstart', () => {
  it('passes with Installation and Usage sections and code blocks', async () => {
    const readme = `# tool\n\nWhat it does.\n\n## Installation\n\n${fence}sh\nnpm install tool\n${fence}\n\n## Usage\n\n${fence}js\nimport tool from 'tool';\n${fence}\n`;
    const report = await runCheck(check, { 'README.md': readme });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('README.md: setup "Installation" (line 5), usage "Usage" (line 11), 2 code blocks');
  });

  it('takes "Getting started" for both, with an indented code block', async () => {
    const report = await runCheck(check, {
      'README.md': '# svc\n\nGetting Started\n---------------\n\nRun it:\n\n    make run\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('"Getting Started" (line 3)');
  });

  it('accepts reStructuredText titles and literal blocks', async () => {
    const readme =
      'Project\n=======\n\nInstalling\n----------\n\nInstall it::\n\n    pip install project\n\nA Simple Example\n----------------\n\n.. code-block:: python\n\n    import project\n';
    const report = await runCheck(check, { 'README.rst': readme });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('setup "Installing"');
    expect(report.summary).toContain('usage "A Simple Example"');
  });

  it('counts an install command and an example without headings (as in psf/requests)', async () => {
    const readme = `# Requests\n\n${fence}python\n>>> import requests\n>>> r = requests.get('https://example.com')\n${fence}\n\n## Installing Requests\n\n${fence}console\n$ python -m pip install requests\n${fence}\n`;
    const report = await runCheck(check, { 'README.md': readme });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('usage a code example (line 3)');
  });

  it('takes a dependency snippet for the install step, but not for a usage example', async () => {
    const snippet = `# lib\n\n${fence}toml\n[dependencies]\nlib = "1"\n${fence}\n`;
    const report = await runCheck(check, { 'README.md': snippet });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toBe('README.md lacks a quick start: no usage section');
    const maven = await runCheck(check, {
      'README.md': `# lib\n\n${fence}xml\n<dependency>\n  <artifactId>lib</artifactId>\n</dependency>\n${fence}\n\n## Usage\n\n${fence}java\nLib.run();\n${fence}\n`,
    });
    expect(maven.summary).toContain('setup an install snippet (line 3)');
  });

  it('fails with a third of the score when only the setup section exists', async () => {
    const readme = '# x\n\n## Installation\n\nDownload the zip and unpack it somewhere.\n';
    const report = await runCheck(check, { 'README.md': readme });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBeCloseTo(1 / 3);
    expect(report.summary).toBe('README.md lacks a quick start: no usage section, code block');
    expect(report.findings.map((finding) => finding.line)).toEqual([3, 3]);
  });

  it('does not take an install-only block in the install section for usage', async () => {
    const readme = `# x\n\n## Install\n\n${fence}\ngit clone https://example.com/x\ncd x\nnpm ci\n${fence}\n`;
    const report = await runCheck(check, { 'README.md': readme });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('no usage section');
  });

  it('ignores headings inside code blocks', () => {
    expect(listHeadings(`${fence}\n# Usage\n${fence}\n## Real\n`).map((heading) => heading.title)).toEqual(['Real']);
    expect(listCodeBlocks('- item\n\n    continued list text\n')).toHaveLength(0);
  });

  it('fails without a README, and warns on a binary one', async () => {
    expect((await runCheck(check, { 'main.go': 'package main' })).outcome).toBe('fail');
    const binary = await runCheck(check, { 'README.md': new Uint8Array([0, 1, 2, 3]) });
    expect(binary.outcome).toBe('warn');
    expect(binary.summary).toContain('binary');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'readme-has-quickstart': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});

describe('readme-has-quickstart: one-line installs', () => {
  const readme = `# tool-action\n\nPrepares the tool.\n\n## Usage\n\n${fence}yaml\nsteps:\n  - uses: acme/setup-tool@v2\n    with:\n      version: 1.2\n${fence}\n`;

  it('warns (not fails) an Action with usage and a code block but no install section', async () => {
    const report = await runAnyCheck(check, {
      'README.md': readme,
      'action.yml': 'name: setup-tool\nruns:\n  using: node20\n  main: dist/index.js\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('an Action (action.yml)');
  });

  it('warns a library the same way, and still fails a service', async () => {
    const files = { 'README.md': readme, 'package.json': '{"name":"lib","main":"index.js"}', 'index.js': '' };
    expect((await runAnyCheck(check, files)).outcome).toBe('warn');
    expect((await runAnyCheck(check, files, { config: { profile: 'service' } })).outcome).toBe('fail');
  });
});
