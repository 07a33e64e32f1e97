import type { TreeEntry } from '../../src/snapshot/types.js';
import { directoryOf, joinPath, type ProjectView } from './project-view.js';
import { normalizePath } from '../../src/parsers/tsconfig.js';
import { parseMsbuildProject, type MsbuildProject } from '../../src/parsers/xml.js';

const PROJECT_FILE = /\.(cs|fs|vb)proj$/;
/** Test framework packages (NuGet ids are case-insensitive). */
const TEST_FRAMEWORKS = [
  'xunit',
  'xunit.v3',
  'xunit.core',
  'nunit',
  'MSTest',
  'MSTest.TestFramework',
  'TUnit',
  'FsUnit',
  'Expecto',
];

/** The test framework a project references: a framework package, else the test SDK package or the MSTest SDK. */
function testFrameworkOf(project: MsbuildProject): string | undefined {
  const named = (names: readonly string[], wanted: readonly string[]) =>
    names.find((name) => wanted.some((candidate) => candidate.toLowerCase() === name.toLowerCase()));
  return (
    named(project.packageReferences, TEST_FRAMEWORKS) ??
    named(project.packageReferences, ['Microsoft.NET.Test.Sdk']) ??
    named(project.sdks, ['MSTest.Sdk'])
  );
}

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
    // Project files go by name: the tree index lists them once for every view.
    const isProjectFile = (name: string) => PROJECT_FILE.test(name);
    const own = new Set(view.ownEntriesNamed('dotnet-project-file', isProjectFile).map((entry) => entry.path));
    if (!own.size) return [];
    const found: DotnetTestProject[] = [];
    for (const entry of view.repository.index.where('dotnet-project-file', { name: isProjectFile })) {
      if (own.has(entry.path)) continue;
      const text = view.text(entry.path);
      const project = text ? parseMsbuildProject(text) : undefined;
      const framework = project ? testFrameworkOf(project) : undefined;
      if (!project || !framework) continue;
      const directory = directoryOf(entry.path);
      for (const reference of project.projectReferences) {
        const target = normalizePath(joinPath(directory, reference.replace(/\\/g, '/')));
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
