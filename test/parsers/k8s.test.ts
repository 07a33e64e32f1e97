import { describe, expect, it } from '@jest/globals';
import { containersInText } from '../../src/parsers/k8s.js';

const DEPLOYMENT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: api-defaults
data:
  values.yaml: |
    image: ghcr.io/acme/api:1.0.0
    livenessProbe:
      httpGet: {path: /healthz}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/api:1.0.0
      containers:
      - name: api
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
        image: "ghcr.io/acme/api:1.0.0" # pinned by CI
        ports: [{containerPort: 8080}]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: report, image: ghcr.io/acme/report:2, livenessProbe: {exec: {command: [true]}}}]
`;

describe('containersInText', () => {
  it('reads containers from every document, not YAML held as data in a ConfigMap', () => {
    // The ConfigMap's embedded values are a string: a text scan took them for a container.
    expect(containersInText('k8s/api.yaml', DEPLOYMENT)).toEqual([
      { file: 'k8s/api.yaml', line: 20, image: 'ghcr.io/acme/api:1.0.0', probes: [] },
      { file: 'k8s/api.yaml', line: 27, image: 'ghcr.io/acme/api:1.0.0', probes: ['readinessProbe'] },
      { file: 'k8s/api.yaml', line: 39, image: 'ghcr.io/acme/report:2', probes: ['livenessProbe'] },
    ]);
  });

  it('reads Helm templates line by line', () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '          livenessProbe:',
      '            {{- toYaml .Values.livenessProbe | nindent 12 }}',
      '      {{- with .Values.nodeSelector }}',
      '      nodeSelector:',
      '      {{- end }}',
    ].join('\n');
    expect(containersInText('charts/api/templates/deployment.yaml', template)).toEqual([
      {
        file: 'charts/api/templates/deployment.yaml',
        line: 8,
        image: '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
        probes: ['livenessProbe'],
      },
    ]);
  });
});
