// Builds every app and library with Nx (cached: unchanged projects are not rebuilt).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../platform/platform.mjs';

export function buildAll() {
  execFileSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' },
  });
}
