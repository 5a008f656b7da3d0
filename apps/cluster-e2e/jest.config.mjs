import preset from '../../jest.preset.mjs';

// End-to-end against a cluster on this machine (tools/platform/cluster.mjs): two gateways
// behind the round-robin proxy, two relays, two cleanup workers, started by the global setup
// on ports and databases of its own. Every test goes through the proxy's URL; the file that
// kills a gateway runs last (test/sequencer.mjs).
export default {
  ...preset,
  displayName: 'cluster-e2e',
  rootDir: import.meta.dirname,
  testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testSequencer: '<rootDir>/test/sequencer.mjs',
  testTimeout: 60_000,
  maxWorkers: 1,
};
