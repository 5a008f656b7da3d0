import type { Page } from 'playwright-core';
import { webUrl } from './web-app.js';

/** Uploads of a few MB finish in seconds; this only bounds a failure. */
export const UPLOAD_DEADLINE_MS = 60_000;

/** Chooses the file on the Send page and waits for its pickup code; returns the code and share link. */
export async function sendInBrowser(page: Page, path: string): Promise<{ code: string; shareLink: string }> {
  await page.goto(webUrl('/'));
  await page.getByLabel('Choose files').setInputFiles(path);
  const result = page.getByRole('region', { name: 'Your pickup code' });
  await result.waitFor({ state: 'visible', timeout: UPLOAD_DEADLINE_MS });
  // Shown grouped ("ABC 123"); the code itself is the six characters.
  const code = ((await result.getByRole('heading', { level: 2 }).textContent()) ?? '').replace(/\s+/g, '');
  expect(code).toMatch(/^[0-9A-Z]{6}$/);
  const shareLink = (await result.getByRole('link', { name: 'Share link' }).getAttribute('href')) ?? '';
  return { code, shareLink };
}
