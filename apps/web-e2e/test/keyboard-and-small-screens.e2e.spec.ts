import { createReadStream, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { registerInBrowser } from './support/accounts.js';
import { usePages } from './support/browser.js';
import { randomFile, sha256OfFile } from './support/files.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// WCAG 2.2 AA beyond what axe can see: a whole pickup done with the keyboard alone, every step
// with a visible focus; and no page wider than the narrowest phone screen the app is made for.
const NARROWEST = { width: 360, height: 740 };
/** Far more Tab presses than any page has controls before the one wanted: a bound, not a count. */
const MAX_TABS = 30;

/** Presses Tab until the focused element is the one named; fails if it never comes. */
async function tabTo(page: Page, role: 'textbox' | 'button' | 'link', name: string): Promise<void> {
  const target = page.getByRole(role, { name, exact: true });
  await target.waitFor({ state: 'visible' });
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the ${role} "${name}"`);
}

/** The focused element's outline: a focus ring a sighted keyboard user can see. */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });

async function expectVisibleFocus(page: Page): Promise<void> {
  const outline = await focusOutline(page);
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

describe('keyboard and small screens', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('a person picks a file up with the keyboard alone, seeing where the focus is at each step', async () => {
    const file = randomFile('keyboard-only.bin', 50_000);
    files.push(file);
    const uploaded = await fetch(webUrl(`/api/v1/files/${basename(file)}`), {
      method: 'PUT',
      body: createReadStream(file) as unknown as BodyInit,
      headers: { 'Content-Length': String(statSync(file).size) },
      duplex: 'half',
    } as RequestInit);
    expect(uploaded.status).toBe(201);
    const { code } = ((await uploaded.json()) as { file: { code: string } }).file;

    const page = await pages.newPage();
    await page.goto(webUrl('/pickup'));
    await tabTo(page, 'textbox', 'Pickup code');
    await expectVisibleFocus(page);
    await page.keyboard.type(code.toLowerCase());
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: basename(file) }).waitFor({ state: 'visible' });

    await tabTo(page, 'link', 'Download');
    await expectVisibleFocus(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(await sha256OfFile(await download.path())).toBe(await sha256OfFile(file));
  });

  it('no page is wider than a 360 px screen, signed out or signed in', async () => {
    const page = await pages.newPage({ viewport: NARROWEST });
    const overflowing: string[] = [];
    const check = async (path: string) => {
      await page.goto(webUrl(path));
      await page.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > NARROWEST.width) overflowing.push(`${path}: ${width} px`);
    };
    for (const path of ['/', '/pickup', '/login', '/register']) await check(path);
    await registerInBrowser(page);
    for (const path of ['/', '/files', '/devices', '/account']) await check(path);
    expect(overflowing).toEqual([]);
  });
});
