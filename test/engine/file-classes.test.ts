import { describe, expect, it } from '@jest/globals';
import {
  classifyPath,
  isBuildToolWrapper,
  isExcludedFromProject,
  isTestFixture,
} from '../../src/engine/file-classes.js';

describe('file classes (CATALOG "Which files count")', () => {
  it.each([
    ['node_modules/x/package.json', 'vendored'],
    ['vendor/github.com/x/go.mod', 'vendored'],
    ['third_party/abseil/CMakeLists.txt', 'vendored'],
    ['dist/index.js', 'generated'],
    ['packages/a/build/Dockerfile', 'generated'],
    ['testdata/certificate/key.pem', 'fixture'],
    ['internal/render/testdata/x.html', 'fixture'],
    ['test/fixtures/app/.env', 'fixture'],
    ['tests/unit/fixtures/x.json', 'fixture'],
    ['src/__fixtures__/a.ts', 'fixture'],
    ['packages/vite/src/node/__tests__/fixtures/a/package.json', 'fixture'],
    ['packages/vite/src/node/__tests__/packages/name/package.json', 'fixture'],
    ['playground/assets-sanitize/.env', 'fixture'],
    ['.devcontainer/Dockerfile', 'dev-container'],
    ['templates/basic/package.json', 'template'],
    ['examples/basic/package.json', 'example'],
    ['src/main/java/org/example/samples/app/pom.xml', 'project'],
    ['packages/vite/src/node/__tests__/build.spec.ts', 'project'],
    ['src/index.ts', 'project'],
  ])('%s is %s', (path, expected) => {
    expect(classifyPath(path)).toBe(expected);
  });

  it('examples count; fixtures, dev containers and vendored trees do not', () => {
    expect(isExcludedFromProject('examples/demo/Dockerfile')).toBe(false);
    expect(isExcludedFromProject('.devcontainer/Dockerfile')).toBe(true);
    expect(isExcludedFromProject('playground/x/package.json')).toBe(true);
    expect(isTestFixture('vendor/x/key.pem')).toBe(false);
  });
});

describe('file classes for binaries', () => {
  it('CMake build trees are generated; build-tool wrapper jars are recognised in any project directory', () => {
    expect(classifyPath('CMakeFiles/3.28.1/CompilerIdC/a.out')).toBe('generated');
    expect(isBuildToolWrapper('gradle/wrapper/gradle-wrapper.jar')).toBe(true);
    expect(isBuildToolWrapper('android/gradle/wrapper/gradle-wrapper.jar')).toBe(true);
    expect(isBuildToolWrapper('.mvn/wrapper/maven-wrapper.jar')).toBe(true);
    expect(isBuildToolWrapper('libs/gradle-wrapper.jar')).toBe(false);
  });
});
