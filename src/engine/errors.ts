/** A configuration problem the user must fix: the CLI exits 2, the App fails its Check Run naming key and line. */
export class ConfigError extends Error {
  readonly problems: Array<{ key: string; line?: number; message: string }>;
  readonly file: string;

  constructor(file: string, problems: Array<{ key: string; line?: number; message: string }>) {
    super(
      `${file} is invalid:\n` +
        problems
          .map(
            (problem) =>
              `  - ${problem.key || '(root)'}${problem.line ? ` (line ${problem.line})` : ''}: ${problem.message}`,
          )
          .join('\n'),
    );
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}
