import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { isRecord, parseJsonText } from '../../src/parsers/structured.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { isEnvExampleName, isSymfonyDotenv } from '../lib/env-files.js';
import { listWords, plural, ProjectView } from '../lib/project-view.js';
import { extensionOf, isGenerated, isTestDirectory, isTestFileName } from '../lib/source-files.js';
import { forEachOwnEntry } from '../lib/tree-queries.js';

/** Where code reads the environment. `name` captures the variable when the code names it. */
const CODE_PATTERNS: Array<{ extensions: RegExp; pattern: RegExp; what: string }> = [
  { extensions: /^([cm]?[jt]sx?|vue|svelte)$/, pattern: /process\.env\.(?<name>[A-Za-z_]\w*)/g, what: 'process.env' },
  {
    extensions: /^([cm]?[jt]sx?|vue|svelte)$/,
    pattern: /process\.env\[\s*['"`](?<name>\w+)['"`]\s*\]/g,
    what: 'process.env',
  },
  { extensions: /^([cm]?[jt]sx?|vue|svelte)$/, pattern: /\}\s*=\s*process\.env\b/g, what: 'process.env' },
  {
    extensions: /^([cm]?[jt]sx?|vue|svelte)$/,
    pattern: /import\.meta\.env\.(?<name>[A-Za-z_]\w*)/g,
    what: 'import.meta.env',
  },
  {
    extensions: /^([cm]?[jt]sx?)$/,
    pattern: /(Deno\.env\.get\(\s*['"]|Bun\.env\.)(?<name>\w+)/g,
    what: 'Deno.env/Bun.env',
  },
  { extensions: /^py$/, pattern: /os\.environ(?:\.get\(\s*|\[\s*)['"](?<name>\w+)['"]/g, what: 'os.environ' },
  { extensions: /^py$/, pattern: /\b(?:os\.)?getenv\(\s*['"](?<name>\w+)['"]/g, what: 'os.getenv' },
  {
    extensions: /^py$/,
    pattern: /\benv(?:\.\w+)?\(\s*['"](?<name>[A-Z][A-Z0-9_]+)['"]/g,
    what: 'environs/django-environ',
  },
  { extensions: /^py$/, pattern: /\(\s*BaseSettings\s*\)/g, what: 'pydantic BaseSettings' },
  { extensions: /^go$/, pattern: /os\.(?:Getenv|LookupEnv)\(\s*"(?<name>\w+)"/g, what: 'os.Getenv' },
  { extensions: /^rs$/, pattern: /env::var(?:_os)?\(\s*"(?<name>\w+)"/g, what: 'std::env::var' },
  { extensions: /^rs$/, pattern: /\benv!\(\s*"(?<name>\w+)"/g, what: 'env!' },
  { extensions: /^(java|kt|scala|groovy)$/, pattern: /System\.getenv\(\s*"(?<name>\w+)"/g, what: 'System.getenv' },
  { extensions: /^rb$/, pattern: /ENV(?:\[\s*|\.fetch\(\s*)['"](?<name>\w+)['"]/g, what: 'ENV[…]' },
  { extensions: /^php$/, pattern: /(?:getenv\(\s*|\$_ENV\[\s*|\benv\(\s*)['"](?<name>\w+)['"]/g, what: 'getenv/env()' },
  {
    extensions: /^(cs|fs|vb)$/,
    pattern: /Environment\.GetEnvironmentVariable\(\s*"(?<name>\w+)"/g,
    what: 'Environment.GetEnvironmentVariable',
  },
  { extensions: /^exs?$/, pattern: /System\.(?:get_env|fetch_env!?)\(\s*"(?<name>\w+)"/g, what: 'System.get_env' },
  { extensions: /^dart$/, pattern: /Platform\.environment\[\s*['"](?<name>\w+)['"]/g, what: 'Platform.environment' },
  {
    extensions: /^swift$/,
    pattern: /ProcessInfo\.processInfo\.environment\[\s*"(?<name>\w+)"/g,
    what: 'ProcessInfo.environment',
  },
];

/** Config files that read the environment: compose `env_file:` and `${VAR}` interpolation, Spring placeholders, ERB. */
const COMPOSE_FILE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;
const SPRING_FILE = /^application([-.][\w-]+)?\.(ya?ml|properties)$/;
const CONFIG_PATTERNS: Array<{ file: RegExp; pattern: RegExp; what: string }> = [
  { file: COMPOSE_FILE, pattern: /^\s*env_file\s*:/g, what: 'env_file in compose' },
  {
    file: COMPOSE_FILE,
    pattern: /\$\{(?<name>[A-Za-z_]\w*)(?::?[-?+](?:[^}$]|\$(?!\{))*)?\}/g,
    what: 'compose interpolation',
  },
  {
    file: SPRING_FILE,
    pattern: /\$\{(?<name>[A-Z_][A-Z0-9_]*)(?::(?:[^}$]|\$(?!\{))*)?\}/g,
    what: 'Spring placeholder',
  },
  { file: /\.ya?ml$/, pattern: /ENV(?:\[\s*|\.fetch\(\s*)['"](?<name>\w+)['"]/g, what: 'ENV in ERB config' },
  { file: /\.(ya?ml|xml|php)$/, pattern: /%env\((?:[a-z_]*:)*(?<name>[A-Z][A-Z0-9_]*)\)%/g, what: 'Symfony %env()%' },
];

/** Variables every process has, or that tools set: reading them needs no documentation. */
const WELL_KNOWN =
  /^(NODE_ENV|CI|HOME|PATH|PWD|OLDPWD|USER|USERNAME|LOGNAME|SHELL|TERM|TERM_PROGRAM|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|TEMP|TMP|NO_COLOR|FORCE_COLOR|DEBUG|EDITOR|VISUAL|PAGER|LESS|GOMAXPROCS|GOGC|GODEBUG|GOMEMLIMIT|HOSTNAME|COLUMNS|LINES|XDG_\w+|GITHUB_\w+|RUNNER_\w+|npm_\w+|INIT_CWD|APPDATA|LOCALAPPDATA|USERPROFILE|PROGRAMFILES|ProgramFiles|COMSPEC|SystemRoot|WINDIR|JEST_WORKER_ID|VITEST\w*|PYTEST_\w+|GOPATH|GOOS|GOARCH|GOROOT|CARGO_\w+|RUST_LOG|RUST_BACKTRACE|PYTHONPATH|PYTHONUNBUFFERED|VIRTUAL_ENV|JAVA_HOME|MODE|DEV|PROD|SSR|BASE_URL|NEXT_RUNTIME|NEXT_PHASE|OUT_DIR|SSL_CERT_FILE|SSL_CERT_DIR|SSLKEYLOGFILE|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|NODE_EXTRA_CA_CERTS|(HTTPS?|ALL|NO)_PROXY|(https?|all|no)_proxy|NODE_OPTIONS|NODE_DEBUG|TRAVIS\w*|GITLAB_\w+|BUILDKITE\w*|CIRCLECI\w*)$/;

const DOTENV_DEPENDENCIES = [
  'dotenv',
  'dotenv-flow',
  'dotenv-expand',
  '@dotenvx/dotenvx',
  'dotenv-cli',
  'env-cmd',
  '@t3-oss/env-core',
  '@t3-oss/env-nextjs',
  'envalid',
  'python-dotenv',
  'django-environ',
  'environs',
  'python-decouple',
  'pydantic-settings',
  'github.com/joho/godotenv',
  'github.com/kelseyhightower/envconfig',
  'github.com/caarlos0/env*',
  'github.com/sethvargo/go-envconfig',
  'dotenvy',
  'envy',
  'dotenv-rails',
  'vlucas/phpdotenv',
  'symfony/dotenv',
  'io.github.cdimascio:dotenv-java',
  'dotenv-java',
  'dotenv-kotlin',
  'dotnetenv',
  'flutter_dotenv',
];

interface Read {
  path: string;
  line: number;
  what: string;
  name?: string;
}

function scan(text: string, path: string, patterns: Array<{ pattern: RegExp; what: string }>, reads: Read[]): void {
  if (!/env|BaseSettings|\$\{/i.test(text)) return;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.length > 2000) continue; // minified or generated
    for (const { pattern, what } of patterns) {
      pattern.lastIndex = 0;
      for (const match of line.matchAll(pattern)) {
        // `os.environ["X"] = …` and `process.env.X = …` set the variable: not a read.
        if (/^\s*=(?!=)/.test(line.slice((match.index ?? 0) + match[0].length).replace(/^['"`]?\s*\]?/, ''))) continue;
        // `process.env.M${f}` inside a template literal is generated code, not a read of "M".
        if (line[(match.index ?? 0) + match[0].length] === '$') continue;
        const name = match.groups?.name;
        if (name && WELL_KNOWN.test(name)) continue;
        reads.push({ path, line: index + 1, what, ...(name ? { name } : {}) });
      }
    }
  }
}

/** The code patterns that apply to files with this extension, the config patterns to files of this name. */
const codePatternsByExtension = new Map<string, typeof CODE_PATTERNS>();
function codePatternsFor(extension: string): typeof CODE_PATTERNS {
  let patterns = codePatternsByExtension.get(extension);
  if (!patterns) {
    patterns = CODE_PATTERNS.filter((candidate) => candidate.extensions.test(extension));
    if (codePatternsByExtension.size < 1000) codePatternsByExtension.set(extension, patterns);
  }
  return patterns;
}

/**
 * Reads found in each fetched file (null: not fetched, or no text), by entry: the same for the repository's
 * evaluation and its project's, as the patterns go by the file's name.
 */
function readsByEntry(view: ProjectView): Map<TreeEntry, Read[] | null> {
  return view.repository.memo('env-example-present:reads', () => new Map<TreeEntry, Read[] | null>());
}

/** The patterns that apply to a file of this name (code patterns by extension, config patterns by name). */
function patternsFor(name: string): { patterns: Array<{ pattern: RegExp; what: string }>; code: boolean } | undefined {
  const code = codePatternsFor(extensionOf(name));
  const config = CONFIG_PATTERNS.filter((candidate) => candidate.file.test(name));
  if (!code.length && !config.length) return undefined;
  return { patterns: [...code, ...config], code: code.length > 0 };
}

function findReads(view: ProjectView): { reads: Read[]; scanned: number; dependency?: string; scripts: Read[] } {
  const reads: Read[] = [];
  let scanned = 0;
  const known = readsByEntry(view);
  // Generated trees and (for code) tests are left out; both go by the name and the directory in the project.
  forEachOwnEntry(
    view,
    'env-example-present',
    (name) => {
      const found = patternsFor(name);
      return found && { ...found, testName: isTestFileName(name) };
    },
    (directory) => (isGenerated(directory ? `${directory}/_` : '_') ? undefined : isTestDirectory(directory)),
    (entry, name, inTestDirectory) => {
      if (entry.kind !== 'file' || (name.code && (inTestDirectory || name.testName))) return;
      let found = known.get(entry);
      if (found === undefined) {
        const text = view.text(entry.path);
        if (text !== undefined) scan(text, entry.path, name.patterns, (found = []));
        known.set(entry, (found ??= null));
      }
      if (found === null) return;
      scanned += 1;
      for (const read of found) reads.push(read);
    },
  );
  const scripts: Read[] = [];
  for (const entry of view.configFilesNamed('=package.json', (name) => name === 'package.json')) {
    const text = view.text(entry.path);
    const parsed = text ? parseJsonText(text) : undefined;
    if (!parsed?.ok || !isRecord(parsed.value) || !isRecord(parsed.value.scripts)) continue;
    for (const [script, command] of Object.entries(parsed.value.scripts)) {
      if (typeof command === 'string' && /--env-file\b|\bdotenv\s|\benv-cmd\b|\bdotenvx\s+run\b/.test(command)) {
        const line = text!.split('\n').findIndex((candidate) => candidate.includes(`"${script}"`)) + 1;
        scripts.push({ path: entry.path, line: line || 1, what: `a .env file loaded by the "${script}" script` });
      }
    }
  }
  // An optional extra (Flask's `dotenv` extra) is offered to users; it says nothing about what this project reads.
  const dependency = view.dependency(DOTENV_DEPENDENCIES, { withoutExtras: true });
  return { reads, scanned, scripts, ...(dependency ? { dependency } : {}) };
}

export default defineCheck({
  id: 'env-example-present',
  category: 'configuration',
  severity: 'medium',
  problemTitle: 'The environment variables the service reads are not documented in an example file',
  title: 'Environment variables documented in an example file',
  description:
    "Services only. When the service's code or configuration reads environment variables (process.env, import.meta.env, Deno/Bun env, os.environ/os.getenv, pydantic BaseSettings, os.Getenv, std::env::var, System.getenv, ENV[…], getenv/env(), Environment.GetEnvironmentVariable, System.get_env; `env_file:` or `${VAR}` in compose files, Spring placeholders; a dotenv-style dependency; `--env-file` in package scripts), a `.env.example`, `.env.sample`, `.env.template` or `.env.dist` documents them. Variables every process has (PATH, HOME, NODE_ENV, CI…) and reads in tests do not count. Not applicable when nothing reads the environment.",
  rationale:
    "An example env file is the list of settings a new environment needs: without it a deploy fails at runtime on a missing variable, and newcomers copy a colleague's `.env` — secrets included.",
  remediation: [
    'Add `.env.example` at the project root listing every variable the code reads, with placeholder values and a comment each:',
    '',
    '```sh',
    '# Postgres connection string',
    'DATABASE_URL=postgres://user:password@localhost:5432/app',
    '# Port the HTTP server listens on',
    'PORT=3000',
    '```',
  ].join('\n'),
  effort: 'minutes',
  // Services only (CATALOG): a library or CLI that reads PAGER or PORT documents it in its README, not in a .env file.
  profiles: ['service'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      // Source files of every language, shallowest first (entry points and config modules sit near the top).
      {
        glob: '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,vue,svelte,py,go,rs,java,kt,scala,groovy,rb,php,cs,fs,vb,ex,exs,dart,swift}',
        max: 600,
      },
      {
        glob: '**/{docker-compose*.yml,docker-compose*.yaml,compose*.yml,compose*.yaml,application*.yml,application*.yaml,application*.properties,.env,.env.*,*.env,env.*}',
        max: 40,
      },
      { glob: '**/config/**/*.{yml,yaml}', max: 40 },
    ],
  },
  evaluate(context) {
    if (context.profile === 'docs') return result.notApplicable('documentation repository (profile docs)');
    const view = new ProjectView(context);
    const { reads, scanned, dependency, scripts } = findReads(view);
    const evidence = [...reads, ...scripts];
    if (!evidence.length && !dependency) {
      return result.notApplicable(
        `nothing reads environment variables (looked for process.env, import.meta.env, os.environ/os.getenv, os.Getenv, std::env::var, System.getenv, ENV[…], getenv, compose env_file/\${VAR}, dotenv dependencies in ${plural(scanned, 'file')})`,
      );
    }
    const names = [
      ...new Set(reads.map((read) => read.name).filter((name): name is string => name !== undefined)),
    ].sort();
    const example = [...view.configFilesNamed('env-example', isEnvExampleName)].sort(
      (a, b) => a.path.split('/').length - b.path.split('/').length,
    )[0];
    // Symfony's convention: `.env` is committed with non-secret defaults and is the documented template.
    const symfony = example
      ? undefined
      : view
          .configFilesNamed('=.env', (name) => name === '.env')
          .find((entry) => isSymfonyDotenv(view.text(entry.path) ?? ''));
    if (symfony) {
      return result.pass(
        `${view.display(symfony.path)} documents the environment with defaults, the Symfony convention (the code reads ${names.length ? names.slice(0, 8).join(', ') : 'the environment'})`,
      );
    }
    const nameText = names.length
      ? `${plural(names.length, 'variable')}: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`
      : 'the environment';
    const why = evidence.length
      ? `the code reads ${nameText}`
      : `the dotenv-style dependency "${dependency}" loads a .env file`;
    if (example) {
      const text = view.text(example.path);
      const undocumented =
        text === undefined
          ? []
          : names.filter(
              (name) => !new RegExp(`^[ \\t]*(?:export[ \\t]+)?(?:#[ \\t]*)?${name}[ \\t]*[=:]`, 'm').test(text),
            );
      const note = undocumented.length
        ? `; not listed there: ${undocumented.slice(0, 8).join(', ')}${undocumented.length > 8 ? ', …' : ''}`
        : '';
      return result.pass(`${view.display(example.path)} documents the environment (${why})${note}`);
    }
    const findings: Finding[] = evidence
      .slice(0, 5)
      .map((read) => view.finding(read.path, `reads ${read.name ?? 'the environment'} (${read.what})`, read.line));
    findings.push({
      message: `add .env.example${view.root ? ` in ${view.root}` : ''} listing ${names.length ? listWords(names.slice(0, 12)) : 'the variables the code reads'}`,
    });
    return result.fail(`No .env.example while ${why}`, findings);
  },
  fixable: 'adds .env.example listing every variable the code reads, with empty values',
  fix(context) {
    const view = new ProjectView(context);
    // Reads inside a nested project belong to that project's own .env.example (its fixer writes it).
    const nested = context.projects
      .map((project) => project.path)
      .filter(
        (path) =>
          path && path !== context.projectPath && path.startsWith(context.projectPath ? `${context.projectPath}/` : ''),
      );
    const { reads } = findReads(view);
    const own = reads.filter((read) => !nested.some((path) => read.path.startsWith(`${path}/`)));
    if (reads.length && !own.length) return { edits: [] };
    const firstRead = new Map<string, Read>();
    for (const read of own) if (read.name && !firstRead.has(read.name)) firstRead.set(read.name, read);
    const path = context.projectPath ? `${context.projectPath}/.env.example` : '.env.example';
    if (!firstRead.size)
      return {
        edits: [],
        skipped: [`${path}: the code reads the environment without naming variables; list them by hand`],
      };
    const lines = ['# The environment variables this service reads. Copy to .env and fill in the values.', ''];
    for (const name of [...firstRead.keys()].sort()) {
      const read = firstRead.get(name)!;
      lines.push(`# read in ${view.display(read.path, read.line)}`, `${name}=`);
    }
    return {
      edits: [{ kind: 'create', path, text: `${lines.join('\n')}\n` }],
      notes: [`${path}: describe each variable and give a safe example value (never a real secret)`],
    };
  },
});
