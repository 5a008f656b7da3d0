import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { PageFixture } from './browser.js';
import { ROOT } from './paths.js';

/** The mobile app's web build, served by the global setup on an origin of its own. */
export const mobileUrl = (path = '/') => `${process.env['WEB_E2E_MOBILE_URL'] ?? 'http://127.0.0.1:17089'}${path}`;

export const MOBILE_ROOT = process.env['WEB_E2E_MOBILE_ROOT'] ?? join(ROOT, 'apps/mobile/dist/browser');

/** A phone as the issue names it: 390×844 CSS pixels, touch, a mobile user agent's layout. */
export const PHONE_CONTEXT: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  hasTouch: true,
  isMobile: true,
};

/** Fails at once, saying what to do, when the mobile app is not built (the tests are never skipped). */
export function requireBuiltMobileApp(root = MOBILE_ROOT): void {
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `The mobile app's web build is missing: ${index} does not exist. ` +
        'Build it with `npx nx run mobile:build` (npm test builds it) and run the browser tests again.',
    );
  }
}

/** A new phone (its own storage: another person, or another of one's devices) on the app at `path`. */
export async function openOnPhone(
  pages: PageFixture,
  path = '/home',
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await pages.newPage({ ...PHONE_CONTEXT, ...options });
  await page.goto(mobileUrl(path));
  return page;
}
