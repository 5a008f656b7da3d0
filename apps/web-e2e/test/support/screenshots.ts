import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './paths.js';

/** Kept after the run as artifacts (tmp/ is not committed; `npm test` clears tmp/test-results first). */
export const SCREENSHOT_DIR = join(ROOT, 'tmp/test-results/web-e2e/screenshots');

/** Saves the whole page as `<name>.png` and returns the file's path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
