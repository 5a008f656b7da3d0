import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { webUrl } from './web-app.js';

export interface Credentials {
  email: string;
  password: string;
}

/** A fresh person's email and password. */
export function newCredentials(label = 'person'): Credentials {
  return { email: `${label}-${randomUUID()}@example.test`, password: 'a long and good password 42' };
}

async function submitCredentials(page: Page, credentials: Credentials, button: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: button, exact: true }).click();
  // Signed in: the header offers "Sign out".
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign out', exact: true }).waitFor();
}

/** Creates an account through the register page, as a person would; the page is then signed in. */
export async function registerInBrowser(page: Page, credentials = newCredentials()): Promise<Credentials> {
  await page.goto(webUrl('/register'));
  await submitCredentials(page, credentials, 'Create account');
  return credentials;
}

/** Signs in to an existing account through the sign-in page. */
export async function signInInBrowser(page: Page, credentials: Credentials): Promise<void> {
  await page.goto(webUrl('/login'));
  await submitCredentials(page, credentials, 'Sign in');
}

/** The signed-in page's access token, to check through the API what the page did. */
export async function accessTokenOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => globalThis.localStorage.getItem('lexy.session'));
  return (JSON.parse(stored ?? '{}') as { accessToken: string }).accessToken;
}

/** A GET on the public API with the page's bearer token. */
export function getApi(path: string, token: string): Promise<Response> {
  return fetch(webUrl(`/api/v1${path}`), { headers: { Authorization: `Bearer ${token}` } });
}
