/**
 * Shell command lines split into simple commands with a real tokenizer (`shell-quote`): quotes, escapes, comments and
 * operators are the shell's, so `git commit -m "chore; npm test"` is one command whose message is an argument, and
 * `curl -H "X-Tag: #1" … && npm test` keeps its second command (the `#` is inside quotes, not a comment).
 */
import { parse, type ParseEntry } from 'shell-quote';

/** Stands for a quoted argument that holds spaces or operators: it is data, not a command to recognise. */
export const QUOTED_ARGUMENT = '_';
/** Stands for a GitHub Actions `${{ … }}` expression, which the shell never sees. */
const EXPRESSION = '__expr__';

/** Operators that end a simple command. */
const SEPARATORS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')']);
/** Shells whose `-c` argument is itself a command line. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'pwsh', 'powershell']);
/** Commands whose quoted arguments are commands of their own (`sbt "testOnly x"`). */
const KEEPS_QUOTED = new Set(['sbt']);

/** Replaces each `${{ … }}` with a placeholder (a plain scan: expressions may hold `||`, quotes and braces). */
function hideExpressions(text: string): string {
  let result = '';
  let index = 0;
  for (;;) {
    const start = text.indexOf('${{', index);
    if (start < 0) return result + text.slice(index);
    const end = text.indexOf('}}', start + 3);
    if (end < 0) return result + text.slice(index);
    result += `${text.slice(index, start)}${EXPRESSION}`;
    index = end + 2;
  }
}

const hasShellSyntax = (token: string) => /[\s;&|<>()]/.test(token);

/** The words of a command without leading `NAME=value` assignments. */
function commandWord(words: readonly string[]): string | undefined {
  return words.find((word) => !/^[A-Za-z_]\w*=/.test(word));
}

/** A last-resort split for lines the tokenizer rejects (an unterminated `${`): operators outside nothing. */
function naiveSplit(text: string): string[][] {
  return text
    .split(/&&|\|\||;|\|/)
    .map((segment) => segment.trim())
    .filter(Boolean)
    .map((segment) => segment.split(/\s+/));
}

/**
 * The simple commands of a shell line, each as its words. Quoted arguments with spaces or operators become
 * QUOTED_ARGUMENT, except the script of `bash -c "…"`, which is split in turn; redirections and comments are dropped.
 */
export function splitCommands(line: string, depth = 0): string[][] {
  const source = hideExpressions(line);
  let entries: ParseEntry[];
  try {
    entries = parse(source, (name) => `$${name}`);
  } catch {
    return naiveSplit(source);
  }
  const commands: string[][] = [];
  let current: string[] = [];
  const end = () => {
    if (current.length) commands.push(current);
    current = [];
  };
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index];
    if (typeof entry === 'string') {
      if (!hasShellSyntax(entry)) {
        current.push(entry);
        continue;
      }
      const word = commandWord(current);
      if (word && SHELLS.has(word.replace(/^.*\//, '')) && current.at(-1) === '-c' && depth < 2) {
        current.pop();
        end();
        commands.push(...splitCommands(entry, depth + 1));
      } else if (word && KEEPS_QUOTED.has(word)) current.push(...entry.split(/\s+/).filter(Boolean));
      else current.push(QUOTED_ARGUMENT);
      continue;
    }
    if ('comment' in entry) break;
    if ('op' in entry) {
      if (entry.op === 'glob') current.push((entry as { pattern: string }).pattern);
      else if (SEPARATORS.has(entry.op)) end();
      // A redirection (`>`, `2>&1`, `<<EOF`): its target is a file name, not an argument of the command.
      else {
        if (/^\d$/.test(current.at(-1) ?? '')) current.pop(); // the `2` of `2>&1`
        if (typeof entries[index + 1] === 'string') index += 1;
      }
    }
  }
  end();
  return commands;
}

/** The line without its trailing `# comment`, as the shell sees it (a `#` inside quotes or a word is kept). */
export function withoutComment(line: string): string {
  if (!line.includes('#')) return line;
  let entries: ParseEntry[];
  try {
    entries = parse(hideExpressions(line), (name) => `$${name}`);
  } catch {
    return line;
  }
  const last = entries.at(-1);
  if (!last || typeof last !== 'object' || !('comment' in last)) return line;
  const marker = `#${last.comment}`;
  return line.endsWith(marker) ? line.slice(0, -marker.length).trimEnd() : line;
}
