// Builds every app and library with Nx (cached: unchanged projects are not rebuilt). That
// includes the web app (Nx project `web`, served by the gateway at `/`) once it exists: before
// it does, there is simply no such project to build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../platform/platform.mjs';

/** Where the gateway finds the built web app unless GATEWAY_WEB_ROOT says otherwise. */
export const WEB_ROOT = process.env.GATEWAY_WEB_ROOT
  ? resolve(process.env.GATEWAY_WEB_ROOT)
  : join(ROOT, 'apps/web/dist/browser');

export const webProjectExists = () => existsSync(join(ROOT, 'apps/web/project.json'));
export const webAppBuilt = () => existsSync(join(WEB_ROOT, 'index.html'));

export function buildAll() {
  execFileSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' },
  });
}
