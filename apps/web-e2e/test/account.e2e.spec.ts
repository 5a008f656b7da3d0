import { rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { registerInBrowser } from './support/accounts.js';
import { expectAccessible } from './support/axe.js';
import { DESKTOP, PHONE, usePages } from './support/browser.js';
import { sendInBrowser } from './support/send.js';
import { randomFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { requireBuiltWebApp } from './support/web-app.js';

// The Account page as a new person sees it after sending a file: the group, its limits, and
// a storage meter that counts the file.

describe('the account page in the browser', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it.each([
    { viewport: DESKTOP, size: `${DESKTOP.width}x${DESKTOP.height}` },
    { viewport: PHONE, size: `${PHONE.width}x${PHONE.height}` },
  ])('a new account sends a file and sees its group, limits and storage used ($size)', async ({ viewport, size }) => {
    const file = randomFile('tax-return.bin', 123_456);
    files.push(file);
    const bytes = statSync(file).size;
    const page = await pages.newPage({ viewport });
    await registerInBrowser(page);
    const nav = page.getByRole('navigation', { name: 'Main' });

    await sendInBrowser(page, file);

    await nav.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor({ state: 'visible' });
    const limits = page.getByRole('region', { name: 'Limits of your group' });
    await limits.waitFor({ state: 'visible' });

    const you = page.getByRole('region', { name: 'You' });
    expect(await you.getByRole('definition').allTextContents()).toContain('Normal');
    // The normal group's defaults (docs/api.md "Groups and their limits").
    const limitTexts = (await limits.getByRole('definition').allTextContents()).map((text) => text.trim());
    expect(limitTexts).toEqual(['8 MB/s', '2 GB', '10 GB', '5 GB per day', '6 h']);

    const storage = page.getByRole('meter', { name: 'Storage used' });
    expect(Number(await storage.getAttribute('value'))).toBe(bytes);
    expect(Number(await storage.getAttribute('max'))).toBe(10_000_000_000);
    expect(await storage.getAttribute('aria-valuetext')).toBe('123 KB of 10 GB');
    const traffic = page.getByRole('meter', { name: 'Downloads today' });
    expect(await traffic.getAttribute('aria-valuetext')).toBe('0 B of 5 GB');
    await page.getByText('Resets at midnight UTC', { exact: false }).waitFor({ state: 'visible' });

    await screenshot(page, `account-${size}`);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectAccessible(page, `/account (signed in) at ${size}`);
  });
});
