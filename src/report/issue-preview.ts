import { escapeMarkdown, linkTarget } from './escape.js';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export interface IssuePreviewItem {
  checkId: string;
  title: string;
  /** What filing did (or would do) to this issue. */
  action: 'open' | 'update' | 'reopen' | 'close' | 'unchanged';
  /** The issue's number when it exists (already, or now that it was filed). */
  number?: number;
  /** The issue's page, when its number is known. */
  url?: string;
}

export interface IssuePreview {
  mode: 'per-check' | 'dashboard';
  /** What was done (filed) or would be done now (preview); never an issue left over by the cap. */
  items: IssuePreviewItem[];
  /** How many issues the cap (`issues.max`) leaves for later runs: `deferredItems.length` when those are listed. */
  deferred?: number;
  /** The issues the cap leaves for later runs, each with the action it waits for (open, reopen). */
  deferredItems?: IssuePreviewItem[];
  /** `issues.max`: issues opened (or reopened) per run at most. */
  max?: number;
  /** True when the issues have been filed (auto mode or after the button); false for a preview. */
  filed?: boolean;
}

const MAX_LISTED = 30;

function itemLine(label: string, item: IssuePreviewItem): string {
  // The label is ours (a number); the URL is made safe as a link target.
  const target = item.url ? linkTarget(item.url) : undefined;
  const number = item.number ? ` ${target ? `[#${item.number}](${target})` : `#${item.number}`}` : '';
  // Issue titles end with "(shipready: <id>)": the id is not said twice.
  const id = item.title.endsWith(`(shipready: ${item.checkId})`) ? '' : ` (\`${item.checkId}\`)`;
  return `- ${label}${number}: **${escapeMarkdown(item.title)}**${id}`;
}

/**
 * The "Remediation issues" section: exactly what was filed (or would be), with numbers and links, then what the
 * per-run cap left and why. Every count is the length of a list shown, so the sentence and the list agree.
 */
export function renderIssuePreview(preview: IssuePreview): string[] {
  const lines: string[] = ['### Remediation issues', ''];
  const acting = preview.items.filter((item) => item.action !== 'unchanged');
  const later = preview.deferredItems ?? [];
  const deferred = Math.max(preview.deferred ?? 0, later.length);
  if (!acting.length && !deferred) {
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
  else if (preview.filed) lines.push('shipready opened no issue in this run.', '');
  // What was done, in the past tense once filed; what would be done, in the future, in a preview.
  const label: Record<IssuePreviewItem['action'], string> = preview.filed
    ? { open: 'opened', update: 'updated', reopen: 'reopened', close: 'closed', unchanged: 'up to date' }
    : { open: 'open', update: 'update', reopen: 'reopen', close: 'close', unchanged: 'up to date' };
  for (const item of acting.slice(0, MAX_LISTED)) lines.push(itemLine(label[item.action], item));
  if (acting.length > MAX_LISTED) lines.push(`- … and ${acting.length - MAX_LISTED} more`);
  if (deferred) {
    const cap = preview.max !== undefined ? `\`issues.max: ${preview.max}\`` : '`issues.max`';
    const why = `${cap} caps how many issues open per run`;
    lines.push(
      '',
      preview.filed
        ? `${plural(deferred, 'more issue')} ${deferred === 1 ? 'was' : 'were'} not opened: ${why}, so ${deferred === 1 ? 'it is' : 'they are'} left for a later run (the next evaluation of the default branch files or offers ${deferred === 1 ? 'it' : 'them'}).`
        : `${plural(deferred, 'more issue')} would be opened on later runs (${why}).`,
    );
    if (later.length) {
      lines.push('');
      for (const item of later.slice(0, MAX_LISTED))
        lines.push(itemLine(item.action === 'reopen' ? 'waits to reopen' : 'waits to open', item));
      if (later.length > MAX_LISTED) lines.push(`- … and ${later.length - MAX_LISTED} more`);
    }
  }
  if (!preview.filed) {
    lines.push(
      '',
      'Nothing has been filed yet. Use the **File issues** button, or set `issues.file: auto` in `.github/shipready.yml`.',
    );
  }
  return lines;
}
