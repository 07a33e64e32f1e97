import { describe, expect, it } from '@jest/globals';
import { getImageBuilds } from '../../../checks/lib/image-builds.js';
import { RepoSnapshot } from '../../../src/snapshot/snapshot.js';
import type { FileText } from '../../../src/snapshot/types.js';

function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const entries = Object.entries(files).map(([path, text]) => ({
    path,
    kind: 'file' as const,
    size: text.length,
    mode: '100644',
  }));
  const texts = new Map<string, FileText>(
    Object.entries(files).map(([path, text]) => [
      path,
      { path, text, binary: false, truncated: false, size: text.length },
    ]),
  );
  return new RepoSnapshot({ source: 'local', entries, files: texts });
}

describe('getImageBuilds', () => {
  it('reads docker build commands, with continuations, variables and -f', () => {
    const workflow = [
      'on: push',
      'env:',
      '  REGISTRY: ghcr.io/acme',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: |',
      '          NAME=orders',
      '          docker buildx build --platform linux/amd64 \\',
      '            -f services/orders/Dockerfile \\',
      '            -t $REGISTRY/${NAME}:${{ github.sha }} --push .',
      '      - run: docker build --tag=web:ci web',
    ].join('\n');
    const builds = getImageBuilds(snapshotOf({ '.github/workflows/build.yml': workflow }));
    expect(builds).toEqual([
      {
        dockerfile: 'services/orders/Dockerfile',
        tags: ['ghcr.io/acme/orders:${{github.sha}}'],
        path: '.github/workflows/build.yml',
        line: 10,
      },
      { dockerfile: 'web/Dockerfile', tags: ['web:ci'], path: '.github/workflows/build.yml', line: 13 },
    ]);
  });

  it('reads build-push-action inputs and metadata-action images of the same job', () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  image:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: docker/metadata-action@v5',
      '        id: meta',
      '        with:',
      '          images: |',
      '            ghcr.io/acme/billing',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: ./billing',
      '          file: ./billing/Containerfile',
      '          tags: ${{ steps.meta.outputs.tags }}',
    ].join('\n');
    expect(getImageBuilds(snapshotOf({ '.github/workflows/image.yml': workflow }))).toEqual([
      {
        dockerfile: 'billing/Containerfile',
        tags: ['${{ steps.meta.outputs.tags }}', 'ghcr.io/acme/billing'],
        path: '.github/workflows/image.yml',
        line: 11,
      },
    ]);
  });
});
