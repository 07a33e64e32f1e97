/**
 * The one place that makes text safe for GitHub-flavoured Markdown. Every renderer (Check Run, annotations, PR
 * comment, issues, dashboard, Markdown report) puts repository-derived text — paths, file contents, finding messages,
 * config values — through these functions, so a file named `<img src=x onerror=alert(1)>.yml` stays a name, a
 * `docker-compose.*.yml` glob is not italics, and `@everyone` or `@org/team` written in a repository file never
 * notifies anyone.
 */

/** Characters with a Markdown meaning inside a line: emphasis, code, links, headings, tables, strikethrough, HTML. */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|#~]/g;

/** A line break of any platform (text from a repository becomes one line). */
const LINE_BREAK = /\r\n?|\n/g;

/**
 * `@name`, `@org/team` at a word start: GitHub would notify them. A zero-width joiner after the `@` keeps the text
 * readable and breaks the mention. `uses: a/b@v4` and e-mail addresses are not mentions (a word character precedes).
 */
const MENTION = /(^|[^\w.`/-])@(?=\w)/g;

/** Entity-like sequences (`&lt;`, `&#60;`) would be decoded by the renderer: the ampersand is shown as itself. */
const ENTITY = /&(?=#?\w{1,32};)/g;

/**
 * Inside a code span `<!--` is shown as typed, but our hidden markers are found in the raw body: a word joiner after
 * `<` (and before `>` of `-->`) keeps the text looking the same and makes it impossible to forge or close a marker.
 */
function defuseMarkers(text: string): string {
  return text.replace(/<!--/g, '<\u2060!--').replace(/-->/g, '--\u2060>');
}

/** Breaks `@mentions` so they render as text but notify no one. */
export function defuseMentions(text: string): string {
  return text.replace(MENTION, '$1@\u2060');
}

/**
 * Repository text as plain, literal Markdown on one line: every character with a Markdown or HTML meaning is
 * backslash-escaped (GFM renders `\*` as `*`), entities are shown literally and mentions are defused. Safe inside
 * a table cell, a list item, a heading or emphasis.
 */
export function escapeMarkdown(text: string): string {
  return defuseMentions(
    text
      .replace(LINE_BREAK, ' ')
      .replace(ENTITY, '&amp;')
      .replace(MARKDOWN_SPECIAL, (char) => `\\${char}`),
  );
}

/**
 * A message written by a check or the engine about repository content — a finding, a summary, a gate reason, a
 * config problem — as inline Markdown. Such messages quote repository values in code spans (`` `__tests__/` ``):
 * the spans are kept (inside one, Markdown, HTML and mentions are literal) and everything outside them is escaped
 * with `escapeMarkdown`. Spans are paired as GFM pairs them (a backtick run closes at the next run of the same
 * length; a backslash before a run is itself escaped, so it cannot shift the pairing); an unpaired run is escaped
 * text. With `table`, `|` inside a span is escaped too (GFM splits table rows before it parses code spans).
 */
export function escapeMessage(message: string, options: { table?: boolean } = {}): string {
  const line = message.replace(LINE_BREAK, ' ');
  const span = (text: string) => defuseMarkers(options.table ? text.replace(/\|/g, '\\|') : text);
  let out = '';
  let plainStart = 0;
  let index = 0;
  while (index < line.length) {
    if (line[index] !== '`') {
      index += 1;
      continue;
    }
    let runEnd = index;
    while (runEnd < line.length && line[runEnd] === '`') runEnd += 1;
    const length = runEnd - index;
    let close = -1;
    for (let scan = runEnd; scan < line.length;) {
      if (line[scan] !== '`') {
        scan += 1;
        continue;
      }
      let end = scan;
      while (end < line.length && line[end] === '`') end += 1;
      if (end - scan === length) {
        close = scan;
        break;
      }
      scan = end;
    }
    if (close === -1) {
      index = runEnd; // an unpaired run is text, escaped with the rest
      continue;
    }
    out += escapeMarkdown(line.slice(plainStart, index)) + span(line.slice(index, close + length));
    index = plainStart = close + length;
  }
  return out + escapeMarkdown(line.slice(plainStart));
}

/**
 * Repository text as an inline code span, safe inside a table cell: the fence is longer than any run of backticks
 * in the text, `|` is escaped (GFM splits table rows before it parses code spans) and line breaks become spaces.
 * Mentions and HTML inside a code span are literal.
 */
export function codeSpan(text: string): string {
  const oneLine = defuseMarkers(text.replace(LINE_BREAK, ' ').replace(/\|/g, '\\|'));
  let longestRun = 0;
  for (const run of oneLine.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick (or a space) needs a space inside the fence, which GFM strips.
  const pad = /^[` ]|[` ]$/.test(oneLine) ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** Text inside raw HTML (`<summary>`, `<code>` in a `<details>`): HTML-escaped, mentions defused. */
export function escapeHtml(text: string): string {
  return defuseMentions(
    text
      .replace(LINE_BREAK, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;'),
  );
}

/** The label of a Markdown link: escaped so `](javascript:…)` inside it cannot close the label and start a URL. */
export function linkLabel(text: string): string {
  return escapeMarkdown(text);
}

/** A URL for a Markdown link target: only http(s), with characters that would end the target percent-encoded. */
export function linkTarget(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  return url.replace(/[\s()<>[\]"'`]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[label](url)` with both parts made safe, or the escaped label alone when the URL is not http(s). */
export function link(label: string, url: string): string {
  const target = linkTarget(url);
  return target ? `[${linkLabel(label)}](${target})` : linkLabel(label);
}

/**
 * Markdown that we wrote (the catalog's remediation text): trusted, so it keeps its formatting, but an HTML comment
 * opener is defused so it can never forge or close the hidden markers that find our comments and issues again.
 */
export function trustedBlock(markdown: string): string {
  return markdown.replace(/<!--/g, '&lt;!--').replace(/-->/g, '--&gt;');
}

/** Plain text for a terminal: control characters and ANSI escapes from file names are shown escaped, not obeyed. */
export function escapeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    return code === 0x1b ? '\\e' : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
