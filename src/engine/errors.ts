/** One thing wrong with a config file: the dotted key (`''` for the file as a whole), where, and what to do. */
export interface ConfigProblem {
  key: string;
  line?: number;
  column?: number;
  /**
   * Plain text; values from the file and the words a user may type are quoted as Markdown code spans (built with
   * `codeSpan`), so the Check Run can show them as code and the terminal as they are.
   */
  message: string;
}

export interface ConfigErrorOptions {
  /** The path in the evaluated repository the lines refer to, when the file is that repository's: annotated there. */
  path?: string;
  /** The file was reached through `_extends`: where the repository's own file names it (annotated instead). */
  via?: { path: string; line?: number };
}

/** `gate.mode (line 3)`, `(root) (line 2, column 17)`: where a problem is, for one-line texts. */
export function describeConfigPlace(problem: ConfigProblem): string {
  const where = problem.line ? ` (line ${problem.line}${problem.column ? `, column ${problem.column}` : ''})` : '';
  return `${problem.key || '(root)'}${where}`;
}

/** A configuration problem the user must fix: the CLI exits 2, the App fails its Check Run naming key and line. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  readonly file: string;
  readonly path?: string;
  readonly via?: { path: string; line?: number };

  constructor(file: string, problems: ConfigProblem[], options: ConfigErrorOptions = {}) {
    // In the order of the file: one pass reports everything, top to bottom.
    const ordered = problems
      .map((problem, index) => ({ problem, index }))
      .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.index - b.index)
      .map(({ problem }) => problem);
    super(
      `${file} is invalid:\n` +
        ordered.map((problem) => `  - ${describeConfigPlace(problem)}: ${problem.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.file = file;
    this.problems = ordered;
    if (options.path) this.path = options.path;
    if (options.via) this.via = options.via;
  }
}
