// Shared jest settings: ESM TypeScript through ts-jest (transpile only; `tsc -b` type-checks).
// Workspace libraries resolve to their built `dist/`, so `test` depends on `^build` in nx.json.
import { fileURLToPath } from 'node:url';

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30_000,
  reporters: ['default', fileURLToPath(new URL('./tools/test/count-reporter.cjs', import.meta.url))],
};
