import type { Page } from 'playwright-core';
import { registerInBrowser } from './support/accounts.js';
import { usePages } from './support/browser.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// Tokens refreshed silently with several tabs open (docs/api.md "Refresh"): two tabs of one
// browser share the session in localStorage; when its access token is about to expire both
// refresh at once, with the same refresh token, and both stay signed in.
const KEY = 'lexy.session';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const storedSession = async (page: Page) =>
  JSON.parse((await page.evaluate((key) => localStorage.getItem(key), KEY)) ?? 'null') as StoredSession | null;

/** Moves the stored access token's expiry to a second from now, so the next request refreshes first. */
async function expireSoon(page: Page): Promise<void> {
  await page.evaluate((key) => {
    const session = JSON.parse(localStorage.getItem(key) ?? '{}') as { expiresAt: number };
    localStorage.setItem(key, JSON.stringify({ ...session, expiresAt: Date.now() + 1_000 }));
  }, KEY);
}

async function openAccount(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'You', exact: true }).waitFor({ state: 'visible' });
}

describe('the session across tabs', () => {
  const pages = usePages();

  beforeAll(() => requireBuiltWebApp());

  it('two tabs refreshing the same token at once both stay signed in, and the session lives on', async () => {
    // Two tabs of one browser (one context): one localStorage, as for a person with two tabs open.
    const first = await pages.newPage();
    const credentials = await registerInBrowser(first);
    const second = await first.context().newPage();
    await second.goto(webUrl('/files'));
    await second.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ state: 'visible' });
    const before = await storedSession(first);

    // A third tab changes the stored session: the other two hear of it through the storage
    // event, so both now hold a token about to expire, and neither has refreshed yet.
    const writer = await first.context().newPage();
    await writer.goto(webUrl('/pickup'));
    await writer.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });
    await expireSoon(writer);
    const refreshes: number[] = [];
    for (const tab of [first, second]) {
      tab.on('response', (response) => {
        if (response.url().endsWith('/api/v1/auth/refresh')) refreshes.push(response.status());
      });
    }
    await Promise.all([openAccount(first), openAccount(second)]);

    for (const tab of [first, second]) {
      await tab.getByText(credentials.email).waitFor({ state: 'visible' });
      expect(await tab.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(0);
    }
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((status) => status === 200 || status === 409)).toBe(true);
    const after = await storedSession(second);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);

    // The family was not revoked as a reuse: its newest refresh token still works.
    const refreshed = await fetch(webUrl('/api/v1/auth/refresh'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: after?.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
  });
});
