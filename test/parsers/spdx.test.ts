import { describe, expect, it } from '@jest/globals';
import license from '../../checks/foundations/license-present.js';
import { expressionMentions } from '../../checks/lib/licenses.js';
import { spdxLicenseIds } from '../../src/parsers/spdx.js';
import { runCheck } from '../helpers/run-check.js';

const MIT =
  'MIT License\n\nCopyright (c) 2024 x\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n';

describe('SPDX expressions (issue 9: parsers that parse)', () => {
  it('parses operators, parentheses and exceptions', () => {
    expect(spdxLicenseIds('(MIT OR Apache-2.0) AND BSD-3-Clause')).toEqual(['MIT', 'Apache-2.0', 'BSD-3-Clause']);
    expect(spdxLicenseIds('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual(['GPL-2.0-only']);
    expect(spdxLicenseIds('MIT/Apache-2.0')).toEqual(['MIT', 'Apache-2.0']);
    expect(spdxLicenseIds('Apache 2')).toEqual(['Apache-2.0']);
    expect(spdxLicenseIds('see the file LICENSE')).toBeUndefined();
  });

  it('an expression that only mentions an id inside an exception does not name it', () => {
    expect(expressionMentions('Apache-2.0 WITH LLVM-exception', 'Apache-2.0')).toBe(true);
    expect(expressionMentions('(Apache-2.0 OR MIT)', 'MIT')).toBe(true);
    expect(expressionMentions('MIT-0', 'MIT')).toBe(false);
  });

  it('license-present accepts a corrected spelling that matches the file', async () => {
    const report = await runCheck(license, {
      LICENSE: MIT,
      'package.json': JSON.stringify({ name: 'x', license: '(MIT OR Apache-2.0)' }),
    });
    expect(report.outcome).toBe('pass');
  });
});
