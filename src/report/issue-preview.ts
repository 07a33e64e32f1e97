import { escapeMarkdown } from './escape.js';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export interface IssuePreviewItem {
  checkId: string;
  title: string;
  /** What filing would do to this issue. */
  action: 'open' | 'update' | 'reopen' | 'close' | 'unchanged';
  /** The issue's number when it exists already. */
  number?: number;
}

export interface IssuePreview {
  mode: 'per-check' | 'dashboard';
  items: IssuePreviewItem[];
  /** Issues that would be opened beyond the per-run cap (`issues.max`), filed on later runs. */
  deferred?: number;
  /** True when the issues have been filed (auto mode or after the button); false for a preview. */
  filed?: boolean;
}

export function renderIssuePreview(preview: IssuePreview): string[] {
  const lines: string[] = ['### Remediation issues', ''];
  const acting = preview.items.filter((item) => item.action !== 'unchanged');
  if (!acting.length && !preview.deferred) {
    lines.push(preview.items.length ? 'The remediation issues are up to date.' : 'No remediation issue is needed.');
    return lines;
  }
  const verbs: Array<[IssuePreviewItem['action'], string, string]> = [
    ['open', 'open', 'opened'],
    ['reopen', 'reopen', 'reopened'],
    ['update', 'update', 'updated'],
    ['close', 'close', 'closed'],
  ];
  const parts = verbs
    .map(
      ([action, future, past]) =>
        [preview.filed ? past : future, acting.filter((item) => item.action === action).length] as const,
    )
    .filter(([, count]) => count > 0)
    .map(([verb, count], index) => `${verb} ${index === 0 ? plural(count, 'issue') : count}`);
  const sentence =
    parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
  const what = preview.mode === 'dashboard' ? ' (the dashboard: one issue with a checklist of the failing checks)' : '';
  if (sentence) lines.push(`shipready ${preview.filed ? '' : 'would '}${sentence}${what}:`, '');
  const label: Record<IssuePreviewItem['action'], string> = {
    open: 'open',
    update: 'update',
    reopen: 'reopen',
    close: 'close',
    unchanged: 'up to date',
  };
  for (const item of acting.slice(0, 30)) {
    const existing = item.number ? ` #${item.number}` : '';
    lines.push(`- ${label[item.action]}${existing}: **${escapeMarkdown(item.title)}** (\`${item.checkId}\`)`);
  }
  if (acting.length > 30) lines.push(`- … and ${acting.length - 30} more`);
  if (preview.deferred) {
    lines.push(
      '',
      `${plural(preview.deferred, 'more issue')} would be opened on later runs (\`issues.max\` caps how many open per run).`,
    );
  }
  if (!preview.filed) {
    lines.push(
      '',
      'Nothing has been filed yet. Use the **File issues** button, or set `issues.file: auto` in `.github/shipready.yml`.',
    );
  }
  return lines;
}
