import { defineCheck, result } from '../../src/engine/define-check.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import {
  describeLookedFor,
  findLine,
  findListedDependency,
  readDeclared,
  type DependencyLists,
} from '../lib/dependency-signals.js';

/** Structured (key/value or JSON) loggers per ecosystem. Plain text loggers (log4js, env_logger, console) are left out. */
export const STRUCTURED_LOGGERS: DependencyLists = {
  node: [
    'pino',
    'pino-http',
    'nestjs-pino',
    'winston',
    'bunyan',
    'roarr',
    'tslog',
    '@elastic/ecs-pino-format',
    '@elastic/ecs-winston-format',
    '@google-cloud/logging-winston',
    '@google-cloud/logging-bunyan',
    '@aws-lambda-powertools/logger',
  ],
  python: [
    'structlog',
    'python-json-logger',
    'loguru',
    'json-logging',
    'ecs-logging',
    'eliot',
    'logfmter',
    'aws-lambda-powertools',
    'google-cloud-logging',
  ],
  go: [
    'go.uber.org/zap',
    'github.com/rs/zerolog',
    'github.com/sirupsen/logrus',
    'golang.org/x/exp/slog',
    'github.com/go-kit/log',
    'github.com/go-kit/kit',
    'github.com/apex/log',
    'github.com/inconshreveable/log15',
    'github.com/go-logr/logr',
    'github.com/hashicorp/go-hclog',
    'k8s.io/klog/v2',
    'github.com/charmbracelet/log',
    'github.com/phuslu/log',
  ],
  rust: ['tracing', 'tracing-subscriber', 'slog', 'json_env_logger', 'structured-logger'],
  java: [
    'logstash-logback-encoder',
    'net.logstash.logback:logstash-logback-encoder',
    'log4j-layout-template-json',
    'logback-ecs-encoder',
    'log4j2-ecs-layout',
    'logback-json-classic',
    'logback-jackson',
    'quarkus-logging-json',
    'micronaut-logging',
  ],
  scala: ['logstash-logback-encoder', 'scribe', 'log4cats-slf4j'],
  ruby: ['lograge', 'semantic_logger', 'rails_semantic_logger', 'ougai', 'ecs-logging', 'logstash-logger', 'logfmt'],
  php: ['monolog/monolog'],
  dotnet: [
    'serilog',
    'serilog.aspnetcore',
    'serilog.extensions.hosting',
    'serilog.sinks.console',
    'nlog',
    'nlog.web.aspnetcore',
    'nlog.extensions.logging',
  ],
  elixir: ['logger_json', 'logfmt_ex'],
};

/** Structured logging that needs no dependency: Go's `log/slog`, .NET's JSON console, Spring Boot 3.4 structured logging. */

/** Spring's `application*.properties` / `application*.yml`: `application` in the file name, before its extension. */
function isApplicationConfig(path: string, extension: RegExp): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const match = extension.exec(name);
  return match !== null && name.slice(0, match.index).includes('application');
}
const BUILT_IN: Array<{ test: (path: string) => boolean; pattern: RegExp; label: string }> = [
  { test: (path) => path.endsWith('.go'), pattern: /^\s*(import\s+)?(\w+\s+)?"log\/slog"/, label: 'Go log/slog' },
  {
    test: (path) => path.endsWith('.cs'),
    pattern: /AddJsonConsole|JsonConsoleFormatter/,
    label: '.NET JSON console logging',
  },
  {
    test: (path) => isApplicationConfig(path, /\.properties$/),
    pattern: /^\s*logging\.structured\.format\.(console|file)\s*[=:]/,
    label: 'Spring Boot structured logging',
  },
  {
    test: (path) => isApplicationConfig(path, /\.ya?ml$/),
    pattern: /^\s+structured:\s*$|^\s*logging\.structured\.format/,
    label: 'Spring Boot structured logging',
  },
];

const CODE_GLOBS = [
  { glob: '{main.go,cmd/**/*.go}', max: 60 },
  { glob: '**/{main,log,logger,logging,logs,server,app,config}.go', max: 60 },
  { glob: '**/{log,logger,logging}/**/*.go', max: 30 },
  { glob: '**/{Program,Startup}.cs', max: 20 },
  { glob: '**/application*.{properties,yml,yaml}', max: 20 },
];

function findBuiltIn(snapshot: RepoSnapshot): { label: string; path: string; line: number } | undefined {
  for (const entry of snapshot.entries) {
    if (entry.kind !== 'file') continue;
    const rule = BUILT_IN.find((candidate) => candidate.test(entry.path));
    if (!rule) continue;
    const text = readDeclared(snapshot, entry.path);
    if (!text) continue;
    const line = findLine(text, rule.pattern);
    if (line) return { label: rule.label, path: entry.path, line };
  }
  return undefined;
}

export default defineCheck({
  id: 'structured-logging-used',
  category: 'operations',
  severity: 'low',
  problemTitle: 'Logs are not structured',
  title: 'Structured logging used',
  description:
    'A structured logger is a declared dependency — pino, winston, bunyan; structlog, python-json-logger, loguru; zap, zerolog, logrus; tracing, slog; logstash-logback-encoder and JSON layouts; lograge, semantic_logger; Serilog, NLog; Monolog… — or the code uses built-in structured logging (Go `log/slog`, .NET `AddJsonConsole`, Spring Boot `logging.structured.format`). `not-applicable` without a package manifest.',
  rationale:
    'Logs are read by machines first: a log platform can filter, aggregate and alert on fields (request id, user, latency, error) but only grep free text. Structured logs make an incident searchable in seconds instead of hours.',
  remediation: [
    'Log JSON with fields instead of formatted strings. For Node.js, add `pino`:',
    '',
    '```js',
    "import pino from 'pino';",
    'const log = pino();',
    "log.info({ orderId, durationMs }, 'order placed');",
    '```',
    '',
    'Python: `structlog` or `python-json-logger`; Go: `log/slog` with `slog.NewJSONHandler`; Java: `logstash-logback-encoder`; .NET: Serilog.',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'repository',
  needs: { files: CODE_GLOBS },
  evaluate({ snapshot, ecosystems }) {
    const found = findListedDependency(snapshot, STRUCTURED_LOGGERS);
    if (found) return result.pass(`structured logger "${found.name}" (${found.ecosystem})`);
    const builtIn = findBuiltIn(snapshot);
    if (builtIn)
      return result.pass(`${builtIn.label} in ${builtIn.path}:${builtIn.line}`, [
        { message: `${builtIn.label}`, path: builtIn.path, line: builtIn.line },
      ]);
    if (ecosystems.length === 0) return result.notApplicable('no package manifest to read dependencies from');
    return result.fail(`no structured logger among the dependencies (${ecosystems.join(', ')})`, [
      {
        message: `looked for ${describeLookedFor(STRUCTURED_LOGGERS, ecosystems, { go: 'log/slog imports', dotnet: 'AddJsonConsole', java: 'logging.structured.format' })}`,
      },
    ]);
  },
});
