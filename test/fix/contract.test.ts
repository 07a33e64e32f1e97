import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../checks/index.js';

describe('fixer contract', () => {
  it('every check that has a fixer says what it changes, and only those do', () => {
    for (const check of allChecks)
      expect([check.id, typeof check.fix === 'function']).toEqual([check.id, Boolean(check.fixable)]);
  });
});
