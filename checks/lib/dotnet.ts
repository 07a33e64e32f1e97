import type { TreeEntry } from '../../src/snapshot/types.js';
import { directoryOf, joinPath, type ProjectView } from './project-view.js';
import { normalizePath } from '../../src/parsers/tsconfig.js';

const PROJECT_FILE = /\.(cs|fs|vb)proj$/;
const TEST_FRAMEWORK =
  /<PackageReference\s+Include="(xunit(\.v3)?|xunit\.core|nunit|MSTest(\.TestFramework)?|TUnit|FsUnit|Expecto)"/i;
const TEST_SDK = /<PackageReference\s+Include="(Microsoft\.NET\.Test\.Sdk)"|Sdk="(MSTest\.Sdk)/i;

export interface DotnetTestProject {
  /** Repository path of the test project's directory. */
  directory: string;
  /** Repository path of its project file. */
  file: string;
  /** The test framework package it references. */
  framework: string;
}

/**
 * .NET keeps tests in separate projects (`tests/Application.UnitTests` references `src/Application`): the test
 * projects, anywhere in the repository, whose `<ProjectReference>` points at one of this view's project files.
 * Empty for the repository view and for views without a .NET project file.
 */
export function dotnetTestProjectsFor(view: ProjectView): DotnetTestProject[] {
  if (!view.root) return [];
  return view.repository.memo(`dotnet-test-projects:${view.root}`, () => {
    const own = new Set(view.entries.filter((entry) => PROJECT_FILE.test(entry.path)).map((entry) => entry.path));
    if (!own.size) return [];
    const found: DotnetTestProject[] = [];
    for (const entry of view.repository.entries) {
      if (!PROJECT_FILE.test(entry.path) || own.has(entry.path)) continue;
      const text = view.text(entry.path);
      if (!text) continue;
      const framework = TEST_FRAMEWORK.exec(text)?.[1] ?? TEST_SDK.exec(text)?.slice(1).find(Boolean);
      if (!framework) continue;
      const directory = directoryOf(entry.path);
      for (const match of text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)) {
        const target = normalizePath(joinPath(directory, match[1].replace(/\\/g, '/')));
        if (target && own.has(target)) {
          found.push({ directory, file: entry.path, framework });
          break;
        }
      }
    }
    return found;
  });
}

/** Code files of the test projects (repository paths). */
export function dotnetTestFiles(view: ProjectView, projects: DotnetTestProject[]): TreeEntry[] {
  const prefixes = projects.map((project) => `${project.directory}/`);
  return view.repository.entries.filter(
    (entry) =>
      /\.(cs|fs|vb)$/.test(entry.path) &&
      prefixes.some((prefix) => entry.path.startsWith(prefix)) &&
      !/(^|\/)(bin|obj)\//.test(entry.path),
  );
}
