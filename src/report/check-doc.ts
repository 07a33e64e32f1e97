import { z } from 'zod';
import type { CheckDefinition } from '../engine/types.js';

/** The doc page of a check, made from its metadata: `checks/<category>/<id>.md` must equal this. */
export function renderCheckDoc(check: CheckDefinition<unknown>): string {
  const applies = check.profiles
    ? `${check.profiles.join(', ')} profile${check.profiles.length > 1 ? 's' : ''}`
    : 'all profiles';
  const lines = [
    `# ${check.id}`,
    '',
    `**${check.title}**`,
    '',
    '| Category | Severity | Applies to | Scope | Effort to fix |',
    '|---|---|---|---|---|',
    `| ${check.category} | ${check.severity} | ${applies} | ${check.scope === 'project' ? 'each project of a monorepo' : 'the repository'} | ${check.effort} |`,
    '',
    '## What passes',
    '',
    check.description,
    '',
    '## Why it matters',
    '',
    check.rationale,
    '',
    '## How to fix',
    '',
    check.remediation,
    '',
  ];
  const needs = [
    ...(check.needs.files ?? []).map((need) =>
      typeof need === 'string' ? need : `${need.glob} (at most ${need.max} files)`,
    ),
  ];
  if (needs.length || check.needs.settings?.length) {
    lines.push('## What it reads', '');
    for (const need of needs) lines.push(`- \`${need}\``);
    for (const setting of check.needs.settings ?? [])
      lines.push(`- repository setting \`${setting}\` (GitHub source only)`);
    lines.push('');
  }
  lines.push(
    '## Configuration',
    '',
    'In `.github/shipready.yml`:',
    '',
    '```yaml',
    'checks:',
    `  ${check.id}: off        # or a severity: critical, high, medium, low`,
    '```',
    '',
  );
  if (check.options) {
    const schema = z.toJSONSchema(check.options, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { description?: string; default?: unknown; enum?: unknown[]; type?: string }>;
    };
    const properties = Object.entries(schema.properties ?? {});
    if (properties.length) {
      lines.push('Options:', '', '| Option | Type | Default | Meaning |', '|---|---|---|---|');
      for (const [name, property] of properties) {
        const type = property.enum
          ? property.enum.map((value) => `\`${String(value)}\``).join(' \\| ')
          : (property.type ?? 'any');
        lines.push(
          `| \`${name}\` | ${type} | ${property.default === undefined ? '—' : `\`${JSON.stringify(property.default)}\``} | ${property.description ?? ''} |`,
        );
      }
      lines.push('');
    }
  }
  lines.push(
    'To silence one finding on a line of a YAML file or a Dockerfile, put a comment on that line or the line above:',
    '',
    '```yaml',
    `# shipready-ignore ${check.id}: <why this is fine here>`,
    '```',
    '',
  );
  return lines.join('\n');
}
