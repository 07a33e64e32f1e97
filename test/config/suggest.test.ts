import { describe, expect, it } from '@jest/globals';
import { closestMatch, editDistance } from '../../src/config/suggest.js';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['tests-present', 'tests-present', 0],
    ['tests-presnt', 'tests-present', 1],
    ['tests-preesnt', 'tests-present', 1], // one transposition
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const ids = ['tests-present', 'readme-present', 'license-present', 'lockfile-committed'];

  it('suggests a near miss, ignoring case', () => {
    expect(closestMatch('tests-presnt', ids)).toBe('tests-present');
    expect(closestMatch('README-Present', ids)).toBe('readme-present');
  });

  it('suggests nothing for a word that is not close to any candidate', () => {
    expect(closestMatch('tests', ids)).toBeUndefined();
    expect(closestMatch('flaky-thing', ids)).toBeUndefined();
  });

  it('suggests nothing when two candidates are equally close', () => {
    expect(closestMatch('ab', ['ac', 'ad'])).toBeUndefined();
  });
});
