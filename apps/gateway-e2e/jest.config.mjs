import preset from '../../jest.preset.mjs';

// End-to-end: one platform (S3, services, gateway) for the whole run, started by
// the global setup from the built apps on their own ports and databases.
export default {
  ...preset,
  displayName: 'gateway-e2e',
  rootDir: import.meta.dirname,
  testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 180_000,
};
