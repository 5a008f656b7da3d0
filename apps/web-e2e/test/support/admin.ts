import type { Page, Request } from 'playwright-core';
import { signInInBrowser, type Credentials } from './accounts.js';
import { webUrl } from './web-app.js';

/** The platform's first administrator (global-setup.mjs starts auth with ADMIN_EMAIL/ADMIN_PASSWORD). */
export function adminCredentials(): Credentials {
  const email = process.env['WEB_E2E_ADMIN_EMAIL'];
  const password = process.env['WEB_E2E_ADMIN_PASSWORD'];
  if (!email || !password) throw new Error('WEB_E2E_ADMIN_EMAIL/PASSWORD are not set: run through the global setup');
  return { email, password };
}

/** Signs the administrator in through the sign-in page and opens the console from the header. */
export async function openConsoleAsAdmin(page: Page): Promise<void> {
  await signInInBrowser(page, adminCredentials());
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ state: 'visible' });
}

/** Goes to one of the console's pages through its own menu and waits for its heading. */
export async function openConsolePage(page: Page, link: string, heading = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor({ state: 'visible' });
}

/** An access token of the administrator, for setting up and undoing through the API. */
export async function adminToken(): Promise<string> {
  const response = await fetch(webUrl('/api/v1/auth/login'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(adminCredentials()),
  });
  if (!response.ok) throw new Error(`the administrator cannot sign in: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** A call of the admin API with the administrator's token. */
export async function adminApi(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(webUrl(`/api/v1/admin${path}`), {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Every script URL the page asks for from now on. */
export function recordScripts(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request: Request) => {
    if (request.resourceType() === 'script') urls.push(request.url());
  });
  return urls;
}

/**
 * The admin console's own code: its components' selectors (lexy-admin-…) are in its chunks and
 * nowhere else, so a script that has one is part of the console.
 */
export async function isConsoleCode(url: string): Promise<boolean> {
  const response = await fetch(url);
  return (await response.text()).includes('lexy-admin-');
}
