/** ESM TypeScript tests through ts-jest; type errors are caught by `npm run lint` (tsc), so the transform only transpiles. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test', '<rootDir>/checks'],
  testMatch: ['**/*.test.ts'],
  // Fixture repositories are copies of real projects: their own test files are data, not our tests.
  testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  // `npm run test:coverage` (CI) collects coverage and fails below these minimums.
  collectCoverageFrom: ['src/**/*.ts', 'checks/**/*.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 90, statements: 90, functions: 90, branches: 80 } },
};
