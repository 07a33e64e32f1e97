import type { CheckDefinition } from './types.js';

/** Identity with type inference for the options; keeps every check file declarative. */
export function defineCheck<Options = Record<string, never>>(
  definition: CheckDefinition<Options>,
): CheckDefinition<Options> {
  return definition;
}

/** Helpers for building results, so checks read as assertions. */
export const result = {
  pass: (summary: string, findings: import('./types.js').Finding[] = []) => ({
    outcome: 'pass' as const,
    summary,
    findings,
  }),
  warn: (summary: string, findings: import('./types.js').Finding[] = [], score?: number) => ({
    outcome: 'warn' as const,
    summary,
    findings,
    ...(score === undefined ? {} : { score }),
  }),
  fail: (summary: string, findings: import('./types.js').Finding[] = []) => ({
    outcome: 'fail' as const,
    summary,
    findings,
  }),
  notApplicable: (summary: string) => ({ outcome: 'not-applicable' as const, summary, findings: [] }),
  notSupported: (summary: string, findings: import('./types.js').Finding[] = []) => ({
    outcome: 'not-supported' as const,
    summary,
    findings,
  }),
};
