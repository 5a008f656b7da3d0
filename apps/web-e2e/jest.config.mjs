import preset from '../../jest.preset.mjs';

// Browser end-to-end: one platform (S3, services, gateway serving the built web app) for the
// whole run, started by the global setup on ports and databases of its own, so it can run
// after (or beside) the gateway's end-to-end suite. Debian's Chromium is driven by
// playwright-core; test/harness.spec.ts checks the helpers against pages of its own.
export default {
  ...preset,
  displayName: 'web-e2e',
  rootDir: import.meta.dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 120_000,
  // One file at a time, however jest is started: the platform is shared, and a file may change
  // global state for its duration (admin-retention.e2e.spec.ts shortens a group's retention).
  maxWorkers: 1,
};
