// The browser end-to-end tests drive Debian's Chromium (a test tool's own browser download
// cannot be had here). Installs it when it is missing and this process may (root with apt-get);
// otherwise says how, and the browser tests fail naming the same command.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get install -y --no-install-recommends chromium';

if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log(`Installing Chromium for the browser tests (${INSTALL})...`);
    execSync(`apt-get update -qq && ${INSTALL}`, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.warn(`Chromium is missing at ${CHROMIUM}; the browser tests need it: sudo ${INSTALL}`);
  }
}
