/**
 * Renderers take everything from the report (issue #7, "Structure"): what they need of a check's definition travels
 * in the report, nothing under src/report reads the registry, and a check the config turns off is said to be turned
 * off on every surface — never "does not apply to this repository".
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import dockerfileFreeOfSecrets from '../../checks/container/dockerfile-free-of-secrets.js';
import licensePresent from '../../checks/foundations/license-present.js';
import readmePresent from '../../checks/foundations/readme-present.js';
import secretScanningEnabled from '../../checks/security/secret-scanning-enabled.js';
import { compareReports, decideGate } from '../../src/engine/compare.js';
import { renderCheckRun } from '../../src/report/check-run.js';
import { renderCheckIssue } from '../../src/report/issue-body.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderText } from '../../src/report/render-text.js';
import { runChecks } from '../helpers/run-check.js';
import { GATE, LINKS } from './report-fixtures.js';

const REPORT_DIR = join(import.meta.dirname, '..', '..', 'src', 'report');

describe('renderers take everything from the report', () => {
  it('no module under src/report imports the check registry or a check', () => {
    const offenders = readdirSync(REPORT_DIR)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from '(\.\.\/)+checks\//.test(readFileSync(join(REPORT_DIR, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the engine copies the problem title, the rationale and whether the check reads settings into the report', async () => {
    const report = await runChecks([dockerfileFreeOfSecrets, readmePresent, secretScanningEnabled], {
      Dockerfile: 'FROM node:22\nENV API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n',
    });
    const byId = new Map(report.checks.map((check) => [check.id, check]));
    expect(byId.get('dockerfile-free-of-secrets')).toMatchObject({
      problemTitle: dockerfileFreeOfSecrets.problemTitle,
      rationale: dockerfileFreeOfSecrets.rationale,
    });
    expect(byId.get('dockerfile-free-of-secrets')!.readsSettings).toBeUndefined();
    expect(byId.get('secret-scanning-enabled')!.readsSettings).toBe(true);
    // The issue is written from that data alone.
    const issue = renderCheckIssue(byId.get('readme-present')!, LINKS);
    expect(issue.title).toBe(`${readmePresent.problemTitle} (shipready: readme-present)`);
    expect(issue.body).toContain(`## Why it matters\n\n${readmePresent.rationale}`);
  });
});

describe('checks turned off in config', () => {
  async function offReport() {
    return runChecks(
      [licensePresent, readmePresent, dockerfileFreeOfSecrets],
      { 'README.md': '# x\n' },
      {
        config: { checks: { 'license-present': 'off' } },
      },
    );
  }

  it('are marked in the report and left out of the score', async () => {
    const report = await offReport();
    const license = report.checks.find((check) => check.id === 'license-present')!;
    expect(license).toMatchObject({ outcome: 'not-applicable', turnedOff: true, score: null });
    expect(report.checks.find((check) => check.id === 'dockerfile-free-of-secrets')!.turnedOff).toBeUndefined();
  });

  it('the Check Run lists them as turned off in config, apart from the checks that do not apply', async () => {
    const report = await offReport();
    const comparison = compareReports(report);
    const { summary } = renderCheckRun({
      report,
      comparison,
      gate: decideGate({ head: report, comparison, gate: GATE }),
      links: LINKS,
    });
    const turnedOff = summary.slice(summary.indexOf('**1 turned off in config:**'));
    expect(turnedOff.split('\n').slice(0, 2)).toEqual([
      '**1 turned off in config:**',
      '- ⏸️ `license-present` (`checks.<id>: off`)',
    ]);
    const notApplicable = summary.slice(summary.indexOf('do not apply to this repository'));
    expect(summary).toMatch(/\*\*1 does not apply to this repository:\*\*\n- ➖ `dockerfile-free-of-secrets`/);
    expect(notApplicable).not.toContain('license-present');
  });

  it('the Markdown report says "Turned off in config", never N/A or not applicable', async () => {
    const markdown = renderMarkdown(await offReport());
    const rows = markdown.split('\n').filter((line) => line.includes('`license-present`'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row).toContain('Turned off in config');
      expect(row).not.toMatch(/N\/A|Not applicable/);
    }
  });

  it('the terminal report says it is turned off', async () => {
    const text = renderText(await offReport());
    const line = text.split('\n').find((entry) => entry.includes('license-present'))!;
    expect(line).toContain('turned off in config');
  });
});
