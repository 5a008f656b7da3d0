import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Locator } from 'playwright-core';
import { accessTokenOf, getApi, registerInBrowser, signInInBrowser } from './support/accounts.js';
import { expectAccessible } from './support/axe.js';
import { DESKTOP, PHONE, usePages } from './support/browser.js';
import { endRetention, eventually, fileRowStatus } from './support/database.js';
import { downloadSha256, randomFile, sha256OfFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { sendInBrowser } from './support/send.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// "My files" as a person uses it: a new account sends a file, finds it in its list and deletes
// it, or restores it after its retention has ended.
const cellsOf = async (row: Locator) => (await row.getByRole('cell').allTextContents()).map((text) => text.trim());

describe('my files in the browser', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('register, send a file, sign out, sign in again, find it in My files, delete it: it is gone', async () => {
    const file = randomFile('quarterly-figures.bin', 4096);
    files.push(file);
    const name = basename(file);
    const page = await pages.newPage();

    const credentials = await registerInBrowser(page);
    const nav = page.getByRole('navigation', { name: 'Main' });

    const { code } = await sendInBrowser(page, file);

    // Signed out, My files is gone from the header; signing in again brings the same files back.
    await nav.getByRole('link', { name: 'Sign out', exact: true }).click();
    await nav.getByRole('link', { name: 'Sign in', exact: true }).waitFor({ state: 'visible' });
    expect(await nav.getByRole('link', { name: 'My files', exact: true }).count()).toBe(0);
    await signInInBrowser(page, credentials);

    await nav.getByRole('link', { name: 'My files', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor({ state: 'visible' });
    expect(await row.textContent()).toContain('Active');
    await screenshot(page, 'files-listed');

    const token = await accessTokenOf(page);
    const listed = (await (await getApi('/files', token)).json()) as { items: { id: string; code: string }[] };
    const id = listed.items.find((item) => item.code === code)?.id;
    expect(id).toBeDefined();

    // The page asks before deleting; the person says yes.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect((await getApi(`/files/${id}`, token)).status).toBe(404);
    await page.getByText('You have no files yet.').waitFor({ state: 'visible' });
  });

  it('an expired file is shown with its redemption countdown, restored, and can be picked up again', async () => {
    const file = randomFile('signed-contract.pdf', 64 * 1024);
    files.push(file);
    const name = basename(file);
    const page = await pages.newPage({ viewport: DESKTOP });
    await registerInBrowser(page);
    const nav = page.getByRole('navigation', { name: 'Main' });

    const { code } = await sendInBrowser(page, file);
    const token = await accessTokenOf(page);
    const listed = (await (await getApi('/files', token)).json()) as { items: { id: string; code: string }[] };
    const id = listed.items.find((item) => item.code === code)!.id;

    // Its retention ends by the database clock; the cleanup worker's next tick marks it expired.
    await endRetention(id);
    await eventually(
      () => fileRowStatus(id),
      (status) => status === 'expired',
    );

    await nav.getByRole('link', { name: 'My files', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor({ state: 'visible' });
    expect(await cellsOf(row)).toEqual(expect.arrayContaining(['Expired', 'Deleted for good in 6 days']));
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await screenshot(page, `files-expired-${viewport.width}x${viewport.height}`);
      await expectAccessible(page, `My files with an expired file at ${viewport.width}x${viewport.height}`);
    }

    await page.getByRole('button', { name: `Restore ${name}`, exact: true }).click();
    await row.getByText('Active', { exact: true }).waitFor({ state: 'visible' });
    expect(await cellsOf(row)).toEqual(expect.arrayContaining([expect.stringMatching(/^Expires in \d+ h/)]));
    expect(await page.getByRole('button', { name: `Restore ${name}`, exact: true }).count()).toBe(0);
    const seen = (await (await getApi(`/files/${id}`, token)).json()) as {
      file: { status: string; expiresAt: string };
    };
    expect(seen.file.status).toBe('active');
    expect(Date.parse(seen.file.expiresAt)).toBeGreaterThan(Date.now());
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await screenshot(page, `files-restored-${viewport.width}x${viewport.height}`);
      await expectAccessible(page, `My files with a restored file at ${viewport.width}x${viewport.height}`);
    }

    // Its code works again, for anyone.
    const pickedUp = await downloadSha256(webUrl(`/api/v1/files/pickup/${code}/download`));
    expect(pickedUp.status).toBe(200);
    expect(pickedUp.sha256).toBe(await sha256OfFile(file));
  });
});
