import { readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { newCredentials, registerInBrowser, signInInBrowser } from './support/accounts.js';
import { expectAccessible } from './support/axe.js';
import { DESKTOP, PHONE, usePages } from './support/browser.js';
import { randomFile, sha256OfFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { requireBuiltWebApp } from './support/web-app.js';

// "My devices" with two browser contexts signed in to one account: each is a device of its own
// and sees the other online; a file goes from one to the other through the relay, live.
const TRANSFER_DEADLINE_MS = 60_000;

async function openMyDevices(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My devices', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'My devices' }).waitFor();
  await page.getByText('This browser', { exact: true }).waitFor();
}

/** Two contexts on one account, both on My devices, each seeing the other online. */
async function twoDevices(pages: ReturnType<typeof usePages>) {
  const sender = await pages.newPage();
  const receiver = await pages.newPage();
  const credentials = await registerInBrowser(sender, newCredentials('devices'));
  await signInInBrowser(receiver, credentials);
  await openMyDevices(sender);
  await openMyDevices(receiver);
  for (const page of [sender, receiver]) {
    await page.getByRole('listitem').filter({ hasText: 'Online' }).first().waitFor({ timeout: TRANSFER_DEADLINE_MS });
  }
  return { sender, receiver };
}

describe('my devices in the browser', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('sends a file from one device to the other: both show progress and completion, the download is the same file', async () => {
    const file = randomFile('holiday-video.bin', 3 * 1024 * 1024 + 123);
    files.push(file);
    const name = basename(file);
    const { sender, receiver } = await twoDevices(pages);

    await sender.getByLabel(/^Files for /).setInputFiles(file);
    await sender.getByRole('button', { name: /^Send to / }).click();
    await sender.getByRole('status').filter({ hasText: 'Waiting for the other device to accept.' }).waitFor();

    const accept = receiver.getByRole('button', { name: `Accept ${name}` });
    await accept.waitFor({ timeout: TRANSFER_DEADLINE_MS });
    expect(await receiver.getByText(name, { exact: false }).first().textContent()).toContain('(3.1 MB)');
    const download = receiver.waitForEvent('download', { timeout: TRANSFER_DEADLINE_MS });
    await accept.click();

    const saved = await download;
    expect(saved.suggestedFilename()).toBe(name);
    const savedPath = await saved.path();
    expect(createHash('sha256').update(readFileSync(savedPath)).digest('hex')).toBe(await sha256OfFile(file));

    await receiver
      .getByRole('status')
      .filter({ hasText: 'Received and checked.' })
      .waitFor({ timeout: TRANSFER_DEADLINE_MS });
    await sender
      .getByRole('status')
      .filter({ hasText: 'Sent. The other device received every file intact.' })
      .waitFor({ timeout: TRANSFER_DEADLINE_MS });
    for (const page of [sender, receiver]) {
      const bar = page.getByRole('progressbar', { name: new RegExp(name) });
      expect(await bar.getAttribute('value')).toBe('100');
    }
    expect(await receiver.getByRole('button', { name: `Accept ${name}` }).count()).toBe(0);
  });

  it('tells the sender when the other device rejects the files', async () => {
    const file = randomFile('not-wanted.txt', 2048);
    files.push(file);
    const name = basename(file);
    const { sender, receiver } = await twoDevices(pages);

    await sender.getByLabel(/^Files for /).setInputFiles(file);
    await sender.getByRole('button', { name: /^Send to / }).click();
    await receiver.getByRole('button', { name: `Reject ${name}` }).click();

    await receiver.getByRole('status').filter({ hasText: 'You declined the files.' }).waitFor();
    await sender
      .getByRole('status')
      .filter({ hasText: 'The other device declined the files.' })
      .waitFor({ timeout: TRANSFER_DEADLINE_MS });
  });

  it('is accessible with a second device listed, on a desktop and a phone', async () => {
    const { sender } = await twoDevices(pages);
    for (const [viewport, label] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      await sender.setViewportSize(viewport);
      await expectAccessible(sender, `my devices (${label})`);
      await screenshot(sender, `devices-${label}`);
    }
  });
});
