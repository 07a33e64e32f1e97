import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/license-present.js';
import { detectLicenseText } from '../../../checks/lib/licenses.js';
import { runCheck } from '../../helpers/run-check.js';

const MIT = `MIT License

Copyright (c) 2024 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
`;
const BSD3 = `Copyright 2010 Pallets

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

1.  Redistributions of source code must retain the above copyright
    notice, this list of conditions and the following disclaimer.

2.  Redistributions in binary form must reproduce the above copyright
    notice, this list of conditions and the following disclaimer in the
    documentation and/or other materials provided with the distribution.

3.  Neither the name of the copyright holder nor the names of its
    contributors may be used to endorse or promote products derived from
    this software without specific prior written permission.
`;
const BSD2 = BSD3.replace(/3\. {2}Neither[\s\S]*$/, '');
const GPL3 = `                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 ...
  13. Use with the GNU Affero General Public License.
 ... use the GNU Lesser General Public License instead of this License.
`;

describe('license-present', () => {
  it('passes and reports MIT from the LICENSE text', async () => {
    const report = await runCheck(check, { LICENSE: MIT });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('MIT (LICENSE)');
  });

  it('recognises BSD-3 in LICENSE.txt, and the Rust dual license files', async () => {
    expect((await runCheck(check, { 'LICENSE.txt': BSD3 })).summary).toContain('BSD-3-Clause');
    const dual = await runCheck(check, {
      'LICENSE-MIT': MIT,
      'LICENSE-APACHE': `${' '.repeat(30)}Apache License\n${' '.repeat(24)}Version 2.0, January 2004\n`,
    });
    expect(dual.outcome).toBe('pass');
    expect(dual.summary).toMatch(/Apache-2.0, MIT|MIT, Apache-2.0/);
  });

  it('recognises license texts by their phrases', () => {
    expect(detectLicenseText(BSD2)).toBe('BSD-2-Clause');
    expect(detectLicenseText(GPL3)).toBe('GPL-3.0');
    expect(detectLicenseText('GNU LESSER GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007\n')).toBe('LGPL-3.0');
    expect(detectLicenseText('GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007')).toBe('AGPL-3.0');
    expect(
      detectLicenseText(
        'This program is free software: you can redistribute it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 2 of the License',
      ),
    ).toBe('GPL-2.0');
    expect(detectLicenseText('Mozilla Public License Version 2.0\n==================================')).toBe('MPL-2.0');
    // git/git COPYING: a preface that mentions v2.2 and GPLv3 before the GPL-2.0 text.
    const gitPreface =
      '\n Note that the only valid version of the GPL as far as this project\n is concerned is _this_ particular version of the license (ie v2, not\n v2.2 or v3.x or whatever), unless explicitly otherwise stated.\n\n HOWEVER, in order to allow a migration to GPLv3 if that seems like\n a good idea, I also ask that people involved with the project make\n their preferences known. In particular, if you trust me to make that\n decision, you might note so in your copyright message, ie something\n like\n\n\tThis file is licensed under the GPL v2, or a later version\n\tat the discretion of Linus.\n\n  might avoid issues. But we can also just decide to synchronize and\n  contact all copyright holders on record if/when the occasion arises.\n\n\t\t\tLinus Torvalds\n\n----------------------------------------\n\n\t\t    GNU GENERAL PUBLIC LICENSE\n\t\t       Version 2, June 1991\n';
    expect(detectLicenseText(gitPreface + GPL3.replace(/^[\s\S]*?29 June 2007/, ''))).toBe('GPL-2.0');
    // The MPL-2.0 names the GNU licenses as Secondary Licenses; it stays MPL-2.0.
    expect(
      detectLicenseText(
        'Mozilla Public License Version 2.0\n\n1.12. "Secondary License" means either the GNU General Public License, Version 2.0, the GNU Lesser General Public License, Version 2.1',
      ),
    ).toBe('MPL-2.0');
    expect(detectLicenseText('This is free and unencumbered software released into the public domain.')).toBe(
      'Unlicense',
    );
    expect(detectLicenseText('Boost Software License - Version 1.0 - August 17th, 2003')).toBe('BSL-1.0');
    expect(detectLicenseText('Eclipse Public License - v 2.0\n\nTHE ACCOMPANYING PROGRAM')).toBe('EPL-2.0');
    expect(detectLicenseText('Creative Commons Legal Code\n\nCC0 1.0 Universal')).toBe('CC0-1.0');
    expect(
      detectLicenseText(
        'ISC License\n\nPermission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.',
      ),
    ).toBe('ISC');
    expect(detectLicenseText(MIT.replace(/The above copyright notice[\s\S]*?Software\.\n/, ''))).toBe('MIT-0');
    expect(detectLicenseText('// SPDX-License-Identifier: MPL-2.0\n')).toBe('MPL-2.0');
    expect(detectLicenseText('Copyright Example Corp. All rights reserved.')).toBeUndefined();
  });

  it('warns when the license text is not recognised, and names the file', async () => {
    const report = await runCheck(check, {
      LICENSE: 'Copyright (c) 2024 Example Corp. All rights reserved.\n',
      'package.json': '{"name":"x","license":"UNLICENSED"}',
    });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('package.json says "UNLICENSED"');
    expect(report.findings[0]).toMatchObject({ path: 'LICENSE', line: 1 });
  });

  it('takes the SPDX id from the manifest when the text is a variant', async () => {
    const report = await runCheck(check, {
      LICENCE: 'Custom wording of a permissive license.',
      'Cargo.toml': '[package]\nname = "x"\nlicense = "MIT OR Apache-2.0"\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('MIT OR Apache-2.0 (declared in Cargo.toml');
  });

  it('flags a manifest that disagrees with the license file', async () => {
    const report = await runCheck(check, {
      LICENSE: MIT,
      'pyproject.toml': '[project]\nname = "x"\nlicense = "Apache-2.0"\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.findings).toEqual([
      expect.objectContaining({ path: 'pyproject.toml', message: expect.stringContaining('declares "Apache-2.0"') }),
    ]);
  });

  it('fails without a license file, naming the license the manifest declares', async () => {
    const report = await runCheck(check, { 'package.json': '{"name":"x","license":"MIT"}', 'index.js': '' });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('package.json declares "MIT"');
  });

  it('fails on an empty repository, and does not take license.js for a license', async () => {
    const report = await runCheck(check, { 'license.js': 'module.exports = "MIT"' });
    expect(report.outcome).toBe('fail');
  });

  it('passes on the license GitHub detects, and warns on NOASSERTION', async () => {
    const detected = await runCheck(
      check,
      { 'src/a.ts': '' },
      {
        settings: {
          detectedLicense: {
            status: 'ok',
            value: { spdxId: 'Apache-2.0', name: 'Apache License 2.0', path: 'legal/LICENSE' },
          },
        },
      },
    );
    expect(detected.outcome).toBe('pass');
    expect(detected.summary).toBe('Apache-2.0 (detected by GitHub in legal/LICENSE)');
    const other = await runCheck(
      check,
      { LICENSE: 'Our own terms.' },
      {
        settings: {
          detectedLicense: { status: 'ok', value: { spdxId: 'NOASSERTION', name: 'Other', path: 'LICENSE' } },
        },
      },
    );
    expect(other.outcome).toBe('warn');
  });

  it('reads REUSE LICENSES/ files by name', async () => {
    const report = await runCheck(check, {
      'LICENSES/Apache-2.0.txt': 'Apache License',
      'LICENSES/CC0-1.0.txt': 'CC0',
    });
    expect(report.summary).toContain('Apache-2.0, CC0-1.0');
  });

  it('warns, without crashing, on a binary license file and a malformed manifest', async () => {
    const report = await runCheck(check, {
      'LICENSE.pdf': new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2]),
      'package.json': '{ not json',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('binary');
  });
});
