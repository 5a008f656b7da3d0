import { expectAccessible } from './support/axe.js';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DESKTOP, PHONE, usePages } from './support/browser.js';
import { randomFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// Every public page, at the default viewport and on a phone's screen: a screenshot of each
// (kept as an artifact) and an axe-core scan with no serious or critical violation.
const PAGES = [
  { name: 'send', path: '/' },
  { name: 'pickup', path: '/pickup' },
  { name: 'login', path: '/login' },
  { name: 'register', path: '/register' },
  // Signed out, it says to sign in; the signed-in page has its scans in account.e2e.spec.ts.
  { name: 'account-signed-out', path: '/account' },
];
const VIEWPORTS = [DESKTOP, PHONE];
const CASES = VIEWPORTS.flatMap((viewport) =>
  PAGES.map((page) => ({ ...page, viewport, size: `${viewport.width}x${viewport.height}` })),
);

describe('accessibility of every page', () => {
  const pages = usePages();

  beforeAll(() => requireBuiltWebApp());

  it.each(CASES)('$path ($size): one main landmark, one level-1 heading, no serious violations', async (each) => {
    const tab = await pages.newPage({ viewport: each.viewport });
    await tab.goto(webUrl(each.path));
    // The app renders in the browser: wait until the page stands, then look at it.
    await tab.getByRole('main').waitFor({ state: 'visible' });
    await tab.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });
    await screenshot(tab, `${each.name}-${each.size}`);
    expect(await tab.getByRole('main').count()).toBe(1);
    expect(await tab.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectAccessible(tab, `${each.path} at ${each.size}`);
  });

  it.each(VIEWPORTS.map((viewport) => ({ viewport, size: `${viewport.width}x${viewport.height}` })))(
    '/ with a finished upload’s code ($size): no serious violations',
    async ({ viewport, size }) => {
      const file = randomFile('accessible.txt', 1024);
      try {
        const tab = await pages.newPage({ viewport });
        await tab.goto(webUrl('/'));
        await tab.getByLabel('Choose files').setInputFiles(file);
        const result = tab.getByRole('region', { name: 'Your pickup code' });
        await result.waitFor({ state: 'visible', timeout: 60_000 });
        await result.getByRole('img', { name: 'QR code of the share link' }).waitFor({ state: 'visible' });
        await screenshot(tab, `send-code-${size}`);
        await expectAccessible(tab, `/ with a pickup code at ${size}`);
      } finally {
        rmSync(dirname(file), { recursive: true, force: true });
      }
    },
  );
});
