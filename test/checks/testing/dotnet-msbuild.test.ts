import { describe, expect, it } from '@jest/globals';
import testFramework from '../../../checks/testing/test-framework-configured.js';
import lockfile from '../../../checks/configuration/lockfile-committed.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

// The shapes MSBuild files have in real solutions: attributes in any order, single quotes, backslash paths, a
// reference commented out while someone tried another framework.
const APP = `<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="Serilog.AspNetCore" Version="8.0.0" />
  </ItemGroup>
</Project>`;
const APP_TESTS = `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Version="17.11.1" Include="Microsoft.NET.Test.Sdk" />
    <PackageReference Version="2.9.2" Include="xunit" />
  </ItemGroup>
  <ItemGroup>
    <ProjectReference Include='..\\..\\src\\App\\App.csproj' />
  </ItemGroup>
</Project>`;
const TOOLS = `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <!-- <PackageReference Include="NUnit" Version="4.2.2" /> -->
    <ProjectReference Include="..\\App\\App.csproj" />
  </ItemGroup>
</Project>`;

describe('.NET project files read with the XML parser', () => {
  it('finds the test project that references a project, whatever the attribute order and quotes', async () => {
    const report = await runChecks([testFramework], {
      'src/App/App.csproj': APP,
      'src/App/Program.cs': 'var app = WebApplication.Create(args);\napp.Run();\n',
      'src/Tools/Tools.csproj': TOOLS,
      'src/Tools/Main.cs': 'class Main {}\n',
      'tests/App.Tests/App.Tests.csproj': APP_TESTS,
      'tests/App.Tests/AppTests.cs': 'public class AppTests { [Fact] public void Runs() {} }\n',
      'App.sln': '\n',
    });
    const checksOf = (path: string) =>
      report.projects?.find((project) => project.path === path)?.checks.find((check) => check.id === testFramework.id);
    expect(checksOf('src/App')?.summary).toBe(
      '.NET: xunit (in the test project tests/App.Tests, which references this project)',
    );
    // Tools references App and has NUnit only in a comment: it is not App's test project.
    expect(checksOf('src/App')?.summary).not.toContain('Tools');
  });

  it('lockfile-committed: a commented-out PackageReference is not a dependency', async () => {
    const report = await runCheck(lockfile, {
      'Tool/Tool.csproj':
        '<Project Sdk="Microsoft.NET.Sdk">\n  <!-- <ItemGroup><PackageReference Include="Serilog" /></ItemGroup> -->\n</Project>\n',
    });
    expect(report.outcome).toBe('not-applicable');
  });
});
