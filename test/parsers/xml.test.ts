import { describe, expect, it } from '@jest/globals';
import { listDependencies } from '../../src/engine/dependencies.js';
import { parseMsbuildPackageReferences, parsePom } from '../../src/parsers/xml.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>io.micrometer</groupId><artifactId>micrometer-bom</artifactId><type>pom</type></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <!--
    <dependency>
      <groupId>io.prometheus</groupId>
      <artifactId>simpleclient</artifactId>
    </dependency>
    -->
  </dependencies>
</project>`;

const CSPROJ = `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Serilog" Version="3.1.1" />
    <!-- <PackageReference Include="prometheus-net" Version="8.0.0" /> -->
  </ItemGroup>
  <ItemGroup Condition="'$(Configuration)' == 'Debug'">
    <PackageReference Include="xunit">
      <Version>2.9.0</Version>
    </PackageReference>
  </ItemGroup>
</Project>`;

async function dependenciesOf(files: Record<string, string>): Promise<Set<string>> {
  const source = new MemorySource(files);
  const listing = await source.listTree();
  const read = await source.readFiles(listing.entries, { maxFileBytes: 1 << 20 });
  return listDependencies(new RepoSnapshot({ source: 'local', entries: listing.entries, files: read }));
}

describe('XML build files (issue 9: parsers that parse)', () => {
  it('pom.xml: commented-out and dependencyManagement entries are not dependencies', async () => {
    expect(parsePom(POM)?.dependencies.map((item) => item.artifactId)).toEqual(['spring-boot-starter-web']);
    const dependencies = await dependenciesOf({ 'pom.xml': POM });
    expect(dependencies.has('spring-boot-starter-web')).toBe(true);
    expect(dependencies.has('simpleclient')).toBe(false);
    expect(dependencies.has('micrometer-bom')).toBe(false);
  });

  it('*.csproj: PackageReference in any ItemGroup, not commented-out ones', async () => {
    expect(parseMsbuildPackageReferences(CSPROJ)).toEqual(['Serilog', 'xunit']);
    const dependencies = await dependenciesOf({ 'App/App.csproj': CSPROJ });
    expect(dependencies.has('prometheus-net')).toBe(false);
  });

  it('never throws on malformed XML', () => {
    expect(parsePom('<project><dependencies>')).toBeDefined();
    expect(parsePom('not xml at all')).toBeUndefined();
    expect(parseMsbuildPackageReferences('<Project')).toEqual([]);
  });
});
