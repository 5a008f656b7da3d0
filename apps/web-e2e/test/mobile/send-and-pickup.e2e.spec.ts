import { readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { usePages } from '../support/browser.js';
import { randomFile, sha256OfFile } from '../support/files.js';
import { openOnPhone, requireBuiltMobileApp } from '../support/mobile-app.js';
import { byTestId, fieldOf, MOBILE_DEADLINE_MS, openTab, sendOnPhone } from '../support/mobile-flows.js';
import { screenshot } from '../support/screenshots.js';

// Send and pick up on phones: one phone uploads (tus, with progress) and gets a code and its QR
// code; another types the code, sees the file and downloads it, byte for byte.

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();
const files: string[] = [];
afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

describe('send and pick up on a phone', () => {
  it('uploads with progress, shows the code and its QR code, and another phone downloads the same bytes', async () => {
    const file = randomFile('holiday-video.mp4', 24 * 1024 * 1024);
    files.push(file);
    const sender = await openOnPhone(pages, '/home');
    await byTestId(sender, 'pick-files').waitFor();
    await byTestId(sender, 'file-input').setInputFiles(file);
    await byTestId(sender, 'upload-progress').first().waitFor({ state: 'attached', timeout: MOBILE_DEADLINE_MS });
    const code = await sendOnPhone(sender);
    expect(await byTestId(sender, 'pickup-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await byTestId(sender, 'pickup-qr').getAttribute('alt')).toContain(code);
    await byTestId(sender, 'share').waitFor();
    await screenshot(sender, 'mobile-send-done-390x844');

    const receiver = await openOnPhone(pages, '/home');
    await openTab(receiver, 'pickup');
    await fieldOf(receiver, 'pickup-code-input').fill(code.toLowerCase());
    await byTestId(receiver, 'find').tap();
    await byTestId(receiver, 'pickup-file-name').getByText(basename(file)).waitFor();
    await screenshot(receiver, 'mobile-pickup-found-390x844');
    const [download] = await Promise.all([receiver.waitForEvent('download'), byTestId(receiver, 'download').tap()]);
    expect(download.suggestedFilename()).toBe(basename(file));
    const saved = await download.path();
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(await sha256OfFile(file));
  });

  it('opens a share link’s code on the pickup screen', async () => {
    const file = randomFile('notes.txt', 2_000);
    files.push(file);
    const sender = await openOnPhone(pages, '/home');
    const code = await sendOnPhone(sender, file);
    const receiver = await openOnPhone(pages, `/p/${code}`);
    await receiver.waitForURL(/\/pickup/);
    await byTestId(receiver, 'pickup-file-name').getByText('notes.txt').waitFor();
  });

  it('says so in plain words when a code does not exist', async () => {
    const page = await openOnPhone(pages, '/pickup');
    await fieldOf(page, 'pickup-code-input').fill('ZZZZZZ');
    await byTestId(page, 'find').tap();
    await page.getByRole('alert').filter({ hasText: /./ }).first().waitFor();
    expect(await byTestId(page, 'download').count()).toBe(0);
  });
});
