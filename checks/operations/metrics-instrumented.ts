import { defineCheck, result } from '../../src/engine/define-check.js';
import { describeLookedFor, findListedDependency, type DependencyLists } from '../lib/dependency-signals.js';

/** Metrics libraries per ecosystem: Prometheus clients, OpenTelemetry, Micrometer, StatsD/Datadog and APM agents. */
export const METRICS_LIBRARIES: DependencyLists = {
  node: [
    'prom-client', 'express-prom-bundle', 'fastify-metrics', '@willsoto/nestjs-prometheus', 'prometheus-api-metrics', '@opentelemetry/api', '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-node', '@opentelemetry/auto-instrumentations-node', 'hot-shots', 'node-statsd', 'statsd-client', 'lynx', 'dd-trace', 'newrelic',
    'elastic-apm-node', 'applicationinsights', '@azure/monitor-opentelemetry', '@google-cloud/opentelemetry-cloud-monitoring-exporter',
  ],
  python: [
    'prometheus-client', 'prometheus_client', 'prometheus-flask-exporter', 'prometheus-fastapi-instrumentator', 'starlette-exporter', 'starlette-prometheus', 'django-prometheus',
    'aioprometheus', 'opentelemetry-api', 'opentelemetry-sdk', 'opentelemetry-distro', 'opentelemetry-instrumentation*', 'statsd', 'datadog', 'ddtrace', 'newrelic',
    'elastic-apm', 'azure-monitor-opentelemetry',
  ],
  go: [
    'github.com/prometheus/client_golang', 'go.opentelemetry.io/otel*', 'github.com/datadog/datadog-go*', 'gopkg.in/datadog/dd-trace-go.v1', 'github.com/datadog/dd-trace-go*',
    'github.com/cactus/go-statsd-client*', 'github.com/rcrowley/go-metrics', 'github.com/armon/go-metrics', 'github.com/hashicorp/go-metrics', 'github.com/victoriametrics/metrics',
    'go.opencensus.io', 'github.com/newrelic/go-agent*', 'github.com/uber-go/tally*',
  ],
  rust: ['prometheus', 'prometheus-client', 'metrics', 'metrics-exporter-prometheus', 'opentelemetry', 'opentelemetry_sdk', 'opentelemetry-sdk', 'opentelemetry-prometheus', 'cadence', 'dogstatsd', 'autometrics', 'axum-prometheus', 'actix-web-prom'],
  java: [
    'micrometer-core', 'micrometer-registry-prometheus', 'io.micrometer:*', 'spring-boot-starter-actuator', 'simpleclient', 'prometheus-metrics-core', 'io.prometheus:*', 'io.opentelemetry:*',
    'opentelemetry-api', 'metrics-core', 'io.dropwizard.metrics:*', 'java-statsd-client', 'quarkus-micrometer', 'quarkus-smallrye-metrics', 'micronaut-micrometer-core', 'dd-trace-api',
  ],
  scala: ['io.micrometer:*', 'io.prometheus:*', 'kamon-core', 'io.opentelemetry:*'],
  ruby: ['prometheus-client', 'prometheus_exporter', 'yabeda*', 'statsd-instrument', 'dogstatsd-ruby', 'opentelemetry-sdk', 'opentelemetry-metrics-sdk', 'newrelic_rpm', 'ddtrace', 'datadog', 'scout_apm'],
  php: ['promphp/prometheus_client_php', 'jimdo/prometheus_client_php', 'open-telemetry/sdk', 'open-telemetry/api', 'league/statsd', 'datadog/php-datadogstatsd', 'artprima/prometheus-metrics-bundle'],
  dotnet: ['prometheus-net', 'prometheus-net.aspnetcore', 'opentelemetry', 'opentelemetry.extensions.hosting', 'opentelemetry.exporter.prometheus.aspnetcore', 'app.metrics*', 'dogstatsd-csharp-client', 'statsdclient', 'microsoft.applicationinsights.aspnetcore'],
  elixir: ['telemetry_metrics', 'telemetry_metrics_prometheus', 'prom_ex', 'prometheus_ex', 'opentelemetry'],
};

export default defineCheck({
  id: 'metrics-instrumented',
  category: 'operations',
  severity: 'low',
  title: 'Metrics instrumented',
  description:
    'A metrics library is a declared dependency: a Prometheus client (prom-client, prometheus_client, client_golang, prometheus-net…), OpenTelemetry, Micrometer or Spring Boot Actuator, StatsD/Datadog clients or an APM agent. Read from the package manifests; `not-applicable` when the repository has none.',
  rationale:
    'Without metrics, the first sign of trouble is a user complaint. Request rates, error rates, latency and saturation are what alerts, dashboards and capacity planning are built on, and they must be in the code before the incident.',
  remediation: [
    'Add a metrics library and expose an endpoint the platform scrapes. For Node.js:',
    '',
    '```js',
    "import client from 'prom-client';",
    'client.collectDefaultMetrics();',
    "app.get('/metrics', async (_req, res) => res.type(client.register.contentType).send(await client.register.metrics()));",
    '```',
    '',
    'Python: `prometheus-client` (or `prometheus-fastapi-instrumentator`); Go: `github.com/prometheus/client_golang`; Java: `spring-boot-starter-actuator` with `micrometer-registry-prometheus`; or OpenTelemetry in any language.',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'repository',
  needs: {},
  evaluate({ snapshot, ecosystems }) {
    if (ecosystems.length === 0) return result.notApplicable('no package manifest to read dependencies from');
    const found = findListedDependency(snapshot, METRICS_LIBRARIES);
    if (found) return result.pass(`metrics library "${found.name}" (${found.ecosystem})`);
    return result.fail(`no metrics library among the dependencies (${ecosystems.join(', ')})`, [
      { message: `looked for ${describeLookedFor(METRICS_LIBRARIES, ecosystems)}` },
    ]);
  },
});
