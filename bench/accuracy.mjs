#!/usr/bin/env node
// Accuracy run: scans local checkouts of real repositories with the built CLI and tabulates profile, per-outcome
// counts and failing critical/high checks, so the hand review in docs/accuracy.md can be repeated on new code.
// It never touches the network: a checkout that is missing (or at another commit) is reported, not fetched.
//
//   npm run build && node bench/accuracy.mjs [--list bench/accuracy-repos.json] [--root /tmp/acc] [--out file.md]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const listPath = resolve(option('--list', join(projectRoot, 'bench/accuracy-repos.json')));
const list = JSON.parse(readFileSync(listPath, 'utf8'));
const checkoutRoot = resolve(option('--root', list.checkoutRoot ?? '/tmp/acc'));
const outPath = option('--out', null);
const cli = join(projectRoot, 'bin/shipready.js');
if (!existsSync(join(projectRoot, 'dist'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}

const OUTCOMES = ['pass', 'warn', 'fail', 'not-applicable', 'not-supported', 'error'];
// The checkout directory of owner/name is <root>/owner+name (what `git clone <fetch dir>` was given).
const checkoutDir = (repo) => join(checkoutRoot, repo.replace('/', '+'));
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

const rows = [];
const missing = [];
for (const entry of list.repositories) {
  const dir = checkoutDir(entry.repo);
  if (!existsSync(join(dir, '.git'))) {
    missing.push(`${entry.repo}: no checkout at ${dir}`);
    continue;
  }
  const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const scan = spawnSync('node', [cli, 'scan', dir, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(scan.stdout);
  } catch {
    missing.push(`${entry.repo}: scan did not produce JSON (exit ${scan.status}): ${scan.stderr.slice(0, 300)}`);
    continue;
  }
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
  for (const check of report.checks) counts[check.outcome] = (counts[check.outcome] ?? 0) + 1;
  const failing = report.checks
    .filter((c) => c.outcome === 'fail' && (c.severity === 'critical' || c.severity === 'high'))
    .map((c) => `${c.id} (${c.severity})`);
  rows.push({
    repo: entry.repo,
    commit: head.slice(0, 10),
    commitNote: entry.commit && !head.startsWith(entry.commit) ? ` (list says ${entry.commit.slice(0, 10)})` : '',
    kind: entry.kind ?? '',
    profile: report.profile,
    expectedProfile: entry.expectedProfile,
    profileReason: report.profileReason ?? '',
    counts,
    failing,
    criticalFails: report.checks.filter((c) => c.outcome === 'fail' && c.severity === 'critical').map((c) => c.id),
  });
}

const lines = [];
lines.push(
  `Accuracy run on ${new Date().toISOString()} (shipready ${projectRoot}, checkouts under ${checkoutRoot})`,
  '',
);
lines.push(
  '| repository | commit | kind | profile (expected) | profile reason | pass | warn | fail | n/a | n/s | error | failing critical/high |',
);
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const profile = r.profile === r.expectedProfile ? r.profile : `**${r.profile}** (expected ${r.expectedProfile})`;
  const c = r.counts;
  lines.push(
    `| ${cell(r.repo)} | \`${r.commit}\`${cell(r.commitNote)} | ${cell(r.kind)} | ${profile} | ${cell(r.profileReason || '—')} | ${c.pass} | ${c.warn} | ${c.fail} | ${c['not-applicable']} | ${c['not-supported']} | ${c.error} | ${cell(r.failing.join(', ') || '—')} |`,
  );
}
lines.push('');
const wrongProfiles = rows.filter((r) => r.expectedProfile && r.profile !== r.expectedProfile);
const criticals = rows.flatMap((r) => r.criticalFails.map((id) => `${r.repo}: ${id}`));
lines.push(`Repositories scanned: ${rows.length}; missing or failed: ${missing.length}.`);
lines.push(`Profile differs from the expected one: ${wrongProfiles.map((r) => r.repo).join(', ') || 'none'}.`);
lines.push(`Critical fails (each must be reviewed by hand): ${criticals.join('; ') || 'none'}.`);
for (const m of missing) lines.push(`MISSING: ${m}`);
const text = lines.join('\n') + '\n';
process.stdout.write(text);
if (outPath) writeFileSync(outPath, text);
process.exitCode = missing.length > 0 ? 1 : 0;
