import type { Page } from 'playwright-core';
import { newCredentials, type Credentials } from './accounts.js';
import type { PageFixture } from './browser.js';
import { openOnPhone } from './mobile-app.js';

/** Uploads of a few MB finish in seconds; this only bounds a failure. */
export const MOBILE_DEADLINE_MS = 60_000;

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
export { byTestId };

/** The text field a test id names, whether it sits on an ion-input or on the input itself. */
export const fieldOf = (page: Page, id: string) =>
  page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input, textarea[data-testid="${id}"]`).first();

/** Chooses the files on the Send screen and waits for the first's pickup code. */
export async function sendOnPhone(page: Page, ...paths: string[]): Promise<string> {
  await byTestId(page, 'file-input').setInputFiles(paths);
  const code = byTestId(page, 'pickup-code').first();
  await code.waitFor({ state: 'visible', timeout: MOBILE_DEADLINE_MS });
  const text = ((await code.textContent()) ?? '').replace(/\s+/g, '');
  expect(text).toMatch(/^[0-9A-Z]{6}$/);
  return text;
}

async function submitCredentials(page: Page, credentials: Credentials, button: 'register' | 'sign-in') {
  await fieldOf(page, 'email').fill(credentials.email);
  await fieldOf(page, 'password').fill(credentials.password);
  await byTestId(page, button).tap();
  await page.waitForURL(/\/home$/, { timeout: MOBILE_DEADLINE_MS });
}

/** A new phone that creates an account on the register screen, as a person would. */
export async function registerOnPhone(pages: PageFixture, credentials = newCredentials('phone')) {
  const page = await openOnPhone(pages, '/register');
  await submitCredentials(page, credentials, 'register');
  return { page, credentials };
}

/** A new phone signed in to an existing account on the sign-in screen. */
export async function signInOnPhone(pages: PageFixture, credentials: Credentials): Promise<Page> {
  const page = await openOnPhone(pages, '/login');
  await submitCredentials(page, credentials, 'sign-in');
  return page;
}

/** Taps a tab of the tab bar and waits for its screen. */
export async function openTab(page: Page, tab: 'home' | 'pickup' | 'files' | 'devices' | 'account'): Promise<void> {
  await page.locator(`ion-tab-button[tab="${tab}"]`).tap();
  await page.waitForURL(new RegExp(`/${tab}$`));
  await page.locator(`ion-tab-button.tab-selected[tab="${tab}"]`).waitFor();
}
