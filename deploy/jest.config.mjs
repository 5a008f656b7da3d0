// Plain ESM tests (.mjs), no transform; Nx runs jest with --experimental-vm-modules.
import { fileURLToPath } from 'node:url';

export default {
  displayName: 'deploy',
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.mjs'],
  transform: {},
  testTimeout: 60_000,
  reporters: ['default', fileURLToPath(new URL('../tools/test/count-reporter.cjs', import.meta.url))],
};
