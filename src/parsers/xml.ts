/**
 * XML build files read with an XML parser (`fast-xml-parser`): Maven `pom.xml` and MSBuild projects (`*.csproj`,
 * `*.fsproj`, `*.vbproj`, `Directory.Build.props`). Comments are comments, so a commented-out `<dependency>` is not a
 * dependency, and `<dependencyManagement>`/`<pluginManagement>` (versions for children, nothing used) are kept apart.
 */
import { XMLParser } from 'fast-xml-parser';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
});

/** Parses XML into plain objects; undefined when the text is not XML. Never throws. */
export function parseXml(text: string): XmlNode | undefined {
  try {
    const value = parser.parse(text) as unknown;
    return isNode(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child elements named `name` (always a list: one element is an object, several are an array). */
function children(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) current = children(current, name)[0];
  return current;
}

function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim() || undefined;
  if (typeof node === 'number') return String(node);
  if (isNode(node) && typeof node['#text'] === 'string') return node['#text'].trim() || undefined;
  return undefined;
}

export interface MavenCoordinate {
  groupId?: string;
  artifactId: string;
  scope?: string;
}

export interface MavenPlugin extends MavenCoordinate {
  /** `<executions>`: the phase each is bound to (when written) and its goals. */
  executions: Array<{ phase?: string; goals: string[] }>;
}

export interface MavenProject {
  /** `<dependencies>` of the project and of its profiles (not `<dependencyManagement>`). */
  dependencies: MavenCoordinate[];
  /** `<build><plugins>` of the project and of its profiles (not `<pluginManagement>`). */
  plugins: MavenPlugin[];
  modules: string[];
}

function coordinate(node: unknown): MavenCoordinate | undefined {
  const artifactId = text(child(node, 'artifactId'));
  if (!artifactId) return undefined;
  const groupId = text(child(node, 'groupId'));
  const scope = text(child(node, 'scope'));
  return { artifactId, ...(groupId ? { groupId } : {}), ...(scope ? { scope } : {}) };
}

/** The dependencies, plugins and modules a `pom.xml` declares; undefined when it is not a Maven project. */
export function parsePom(source: string): MavenProject | undefined {
  const document = parseXml(source);
  const project = child(document, 'project');
  if (!isNode(project)) return undefined;
  const scopes = [project, ...children(child(project, 'profiles'), 'profile')];
  const dependencies = scopes.flatMap((scope) =>
    children(child(scope, 'dependencies'), 'dependency').flatMap((node) => coordinate(node) ?? []),
  );
  const plugins = scopes.flatMap((scope) =>
    children(child(scope, 'build', 'plugins'), 'plugin').flatMap((node): MavenPlugin[] => {
      const base = coordinate(node);
      if (!base) return [];
      const executions = children(child(node, 'executions'), 'execution').map((execution) => {
        const phase = text(child(execution, 'phase'));
        const goals = children(child(execution, 'goals'), 'goal').flatMap((goal) => text(goal) ?? []);
        return { ...(phase ? { phase } : {}), goals };
      });
      return [{ ...base, executions }];
    }),
  );
  const modules = children(child(project, 'modules'), 'module').flatMap((module) => text(module) ?? []);
  return { dependencies, plugins, modules };
}

/** NuGet packages an MSBuild project references (`<PackageReference Include="…">`), in any `<ItemGroup>`. */
export function parseMsbuildPackageReferences(source: string): string[] {
  const project = child(parseXml(source), 'Project');
  if (!isNode(project)) return [];
  const names: string[] = [];
  for (const group of children(project, 'ItemGroup'))
    for (const reference of children(group, 'PackageReference')) {
      const include = isNode(reference) ? reference['@Include'] : undefined;
      if (typeof include === 'string' && include.trim()) names.push(include.trim());
    }
  return names;
}

export interface MsbuildProject {
  /** `<Project Sdk="…">` and `<Sdk Name="…">` (without a `/version` suffix). */
  sdks: string[];
  /** `<PackageReference Include="…">` of every `<ItemGroup>`. */
  packageReferences: string[];
  /** `<ProjectReference Include="…">` paths as written (MSBuild's backslashes kept). */
  projectReferences: string[];
}

/** The SDKs, packages and project references of an MSBuild project; undefined when it is not one. */
export function parseMsbuildProject(source: string): MsbuildProject | undefined {
  const project = child(parseXml(source), 'Project');
  if (!isNode(project)) return undefined;
  const includes = (name: string) =>
    children(project, 'ItemGroup').flatMap((group) =>
      children(group, name).flatMap((reference) => {
        const include = isNode(reference) ? reference['@Include'] : undefined;
        return typeof include === 'string' && include.trim() ? [include.trim()] : [];
      }),
    );
  const sdkNames = [
    project['@Sdk'],
    ...children(project, 'Sdk').map((sdk) => (isNode(sdk) ? sdk['@Name'] : undefined)),
  ].flatMap((value) =>
    typeof value === 'string' ? value.split(';').flatMap((sdk) => sdk.split('/')[0].trim() || []) : [],
  );
  return {
    sdks: sdkNames,
    packageReferences: includes('PackageReference'),
    projectReferences: includes('ProjectReference'),
  };
}
