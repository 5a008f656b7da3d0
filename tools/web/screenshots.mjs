// `npm run screenshots`: runs the browser tests, which photograph every page as they go
// (tmp/test-results/web-e2e/screenshots), and copies the ones the README shows into
// docs/screenshots. Run it after a visible change to the web or mobile app and commit the images.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../platform/platform.mjs';

/** What the README shows, by the name the browser tests give each screenshot. */
export const README_SCREENSHOTS = [
  'send-1280x720',
  'send-code-1280x720',
  'pickup-file-found',
  'files-restored-1280x720',
  'devices-desktop',
  'account-1280x720',
  'admin-overview-1280x720',
  'admin-users-1280x720',
  'admin-groups-1280x720',
  'send-390x844',
  'files-expired-390x844',
  'devices-phone',
  // The mobile app's web build at 390×844 (apps/web-e2e/test/mobile).
  'mobile-send-done-390x844',
  'mobile-pickup-found-390x844',
  'mobile-incoming-offer-390x844',
  'mobile-upload-resuming-390x844',
  'mobile-account-390x844',
  'mobile-settings-390x844',
];

const source = join(ROOT, 'tmp/test-results/web-e2e/screenshots');
const target = join(ROOT, 'docs/screenshots');

const nx = join(ROOT, 'node_modules/.bin/nx');
const run = spawnSync(nx, ['run', 'web-e2e:e2e', '--outputStyle=static'], { cwd: ROOT, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('The browser tests failed; the README screenshots were left as they were.');
  process.exit(run.status ?? 1);
}
mkdirSync(target, { recursive: true });
for (const name of README_SCREENSHOTS) {
  const file = join(source, `${name}.png`);
  if (!existsSync(file)) {
    console.error(`No screenshot ${name}.png: the browser tests no longer take it (see README_SCREENSHOTS).`);
    process.exit(1);
  }
  copyFileSync(file, join(target, `${name}.png`));
}
console.log(`Copied ${README_SCREENSHOTS.length} screenshots to docs/screenshots; commit them with your change.`);
