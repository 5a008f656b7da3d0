import { rmSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import type { Page } from 'playwright-core';
import { usePages } from './support/browser.js';
import { randomFile, sha256OfFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { sendInBrowser, UPLOAD_DEADLINE_MS } from './support/send.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// Sending and picking up as people do it, with the labels and roles of the UI contract: one
// person uploads on `/`, another (a second browser context) picks the file up.

/** Clicks Download and returns the SHA-256 of what the browser saved. */
async function downloadedSha256(page: Page): Promise<string> {
  const link = page.getByRole('link', { name: 'Download' });
  await link.waitFor({ state: 'visible' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = await download.path();
  return sha256OfFile(saved);
}

describe('send and pick up in the browser', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('an anonymous upload of 3 MiB is picked up in another browser with the same SHA-256', async () => {
    const file = randomFile('holiday-photos.bin', 3 * 1024 * 1024);
    files.push(file);
    const sender = await pages.newPage();
    const { code } = await sendInBrowser(sender, file);
    await screenshot(sender, 'send-code-shown');

    const receiver = await pages.newPage();
    await receiver.goto(webUrl('/pickup'));
    // Typed as a person might read it out: lower case, with a dash in the middle.
    await receiver.getByLabel('Pickup code').fill(`${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase());
    await receiver.getByRole('button', { name: 'Find file' }).click();
    await receiver.getByRole('heading', { level: 2, name: basename(file) }).waitFor({ state: 'visible' });
    await screenshot(receiver, 'pickup-file-found');
    expect(await downloadedSha256(receiver)).toBe(await sha256OfFile(file));
  });

  it('the share link opens the pickup page with the file shown', async () => {
    const file = randomFile('shared-notes.txt', 2048);
    files.push(file);
    const sender = await pages.newPage();
    const { code, shareLink } = await sendInBrowser(sender, file);
    expect(shareLink.startsWith(webUrl('/p/'))).toBe(true);

    const receiver = await pages.newPage();
    await receiver.goto(shareLink);
    await receiver.getByRole('heading', { level: 2, name: basename(file) }).waitFor({ state: 'visible' });
    const typed = await receiver.getByLabel('Pickup code').inputValue();
    expect(typed.replace(/[^0-9a-z]/gi, '').toUpperCase()).toBe(code);
    await screenshot(receiver, 'pickup-from-share-link');
    expect(await downloadedSha256(receiver)).toBe(await sha256OfFile(file));
  });

  it('two files dropped onto the page are sent one after another, each with its own code', async () => {
    const contents = { 'first.txt': 'the first file', 'second.txt': 'the second, longer file' };
    const sender = await pages.newPage();
    await sender.goto(webUrl('/'));
    const dataTransfer = await sender.evaluateHandle((files) => {
      const data = new DataTransfer();
      for (const [name, text] of Object.entries(files)) data.items.add(new File([text], name, { type: 'text/plain' }));
      return data;
    }, contents);
    const zone = sender.getByText('or drop them here');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });

    await sender.getByRole('status').filter({ hasText: '2 of 2 files sent' }).waitFor({ timeout: UPLOAD_DEADLINE_MS });
    await screenshot(sender, 'send-two-files');
    const codes: string[] = [];
    for (const [name, text] of Object.entries(contents)) {
      const result = sender.getByRole('region', { name: `Your pickup code for ${name}` });
      const code = ((await result.getByRole('heading', { level: 2 }).textContent()) ?? '').replace(/\s+/g, '');
      expect(code).toMatch(/^[0-9A-Z]{6}$/);
      codes.push(code);
      const pickedUp = await fetch(webUrl(`/api/v1/files/pickup/${code}/download`));
      expect(await pickedUp.text()).toBe(text);
    }
    expect(new Set(codes).size).toBe(2);
  });
});
