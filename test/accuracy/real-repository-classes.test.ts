import { describe, expect, it } from '@jest/globals';
import ciRunsTests from '../../checks/ci/ci-runs-tests-on-pull-requests.js';
import dependencyUpdateTool from '../../checks/ci/dependency-update-tool-configured.js';
import lockfileCommitted from '../../checks/configuration/lockfile-committed.js';
import licensePresent from '../../checks/foundations/license-present.js';
import { runCheck } from '../helpers/run-check.js';

// Disagreements found by the accuracy run (docs/accuracy.md): each case is the minimal shape of the real files.

const MIT_TEXT = `The MIT License (MIT)

Copyright (C) 2007-2021 Leah Neukirchen <http://leahneukirchen.org/infopage.html>

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to
deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
`;

describe('accuracy: rack/rack', () => {
  it('license-present finds the Ruby convention MIT-LICENSE and reports MIT', async () => {
    const report = await runCheck(licensePresent, {
      'MIT-LICENSE': MIT_TEXT,
      'rack.gemspec': 'Gem::Specification.new do |s|\n  s.name = "rack"\n  s.license = "MIT"\nend\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('MIT');
  });

  it('still ignores a file of that name that is code (mit-license.js)', async () => {
    const report = await runCheck(licensePresent, { 'tools/x': '', 'mit-license.js': 'console.log(1)\n' });
    expect(report.outcome).toBe('fail');
  });
});

describe('accuracy: serilog/serilog', () => {
  it('lockfile-committed warns when a .csproj has no packages.lock.json (NuGet lockfiles are opt-in)', async () => {
    const report = await runCheck(lockfileCommitted, {
      'src/Serilog/Serilog.csproj':
        '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0" PrivateAssets="All" />\n  </ItemGroup>\n</Project>\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('RestorePackagesWithLockFile');
  });
});

describe('accuracy: laravel/laravel', () => {
  it('ci-runs-tests-on-pull-requests counts `php artisan test` (Laravel runs PHPUnit/Pest through artisan)', async () => {
    const workflow = `name: Tests

on:
  push:
    branches:
      - master
  pull_request:

permissions:
  contents: read

jobs:
  tests:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout code
        uses: actions/checkout@v6

      - name: Install Composer dependencies
        run: composer install --prefer-dist --no-interaction --no-progress

      - name: Execute tests
        run: php artisan test
`;
    const report = await runCheck(ciRunsTests, {
      'composer.json': '{ "name": "laravel/laravel", "type": "project", "require-dev": { "phpunit/phpunit": "^11" } }',
      'phpunit.xml': '<phpunit/>',
      artisan: '#!/usr/bin/env php\n<?php\n',
      '.github/workflows/tests.yml': workflow,
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/tests.yml:23');
  });
});

describe('accuracy: vitejs/vite and vuejs/core', () => {
  it('dependency-update-tool-configured reads a renovate.json5 whose strings hold `/*` (glob paths)', async () => {
    const renovate = `{
  "$schema": "https://docs.renovatebot.com/renovate-schema.json",
  "extends": ["config:recommended", "schedule:weekly", "group:allNonMajor"],
  "labels": ["dependencies"],
  "ignorePaths": ["**/__tests__/**"],
  // peer ranges are managed by hand
  "packageRules": [
    {
      "matchDepTypes": ["peerDependencies"],
      "enabled": false,
    },
    {
      "groupName": "oxc",
      "matchDepNames": ["@oxc-project/*", "oxc-*"],
    },
  ],
}
`;
    const report = await runCheck(dependencyUpdateTool, {
      'package.json': JSON.stringify({ name: 'root', private: true, devDependencies: { vite: '7' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      '.github/renovate.json5': renovate,
      '.github/workflows/ci.yml':
        'on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pnpm test\n',
    });
    expect(report.findings.map((finding) => finding.message).join('\n')).not.toContain('invalid');
    expect(report.outcome).toBe('pass');
  });
});

describe('accuracy: vuejs/core', () => {
  it('dependency-update-tool-configured reads JSON5 with unquoted keys and single-quoted globs', async () => {
    const renovate = `{
  $schema: 'https://docs.renovatebot.com/renovate-schema.json',
  extends: ['config:recommended', 'schedule:weekly', 'group:allNonMajor'],
  ignorePaths: ['**/__tests__/**'],
  /* peer ranges
     are managed by hand */
  packageRules: [
    {
      matchDepTypes: ['peerDependencies'],
      enabled: false,
    },
  ],
}
`;
    const report = await runCheck(dependencyUpdateTool, {
      'package.json': JSON.stringify({ name: 'root', private: true, devDependencies: { vue: '3' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      '.github/renovate.json5': renovate,
    });
    expect(report.findings.map((finding) => finding.message).join('\n')).not.toContain('invalid');
    expect(report.outcome).toBe('pass');
  });
});
