import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Request } from 'playwright-core';
import { usePages } from '../support/browser.js';
import { randomFile } from '../support/files.js';
import { openOnPhone, requireBuiltMobileApp } from '../support/mobile-app.js';
import { byTestId, MOBILE_DEADLINE_MS } from '../support/mobile-flows.js';
import { screenshot } from '../support/screenshots.js';

// An upload that outlives the app: the app is closed in the middle (a reload ends every script,
// as the system killing the app would) and takes the upload up again by itself at the next start,
// from the server's offset, without the person choosing the file again. The interruption is made
// by holding back requests (page.route), never by timing.
const MIB = 1024 * 1024;
/** More than two of the client's 16 MiB tus chunks. */
const SIZE = 40 * MIB;
const isPatch = (request: Request) => request.method() === 'PATCH' && request.url().includes('/api/v1/uploads/');

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();
const files: string[] = [];
afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

describe('an upload on a phone that resumes after the app was closed', () => {
  it('goes on by itself at the next start, from where the server has it', async () => {
    const file = randomFile('field-recording.wav', SIZE);
    files.push(file);
    const page = await openOnPhone(pages, '/home');

    let restarted = false;
    let patches = 0;
    let secondHeld!: () => void;
    const secondChunkHeld = new Promise<void>((resolve) => (secondHeld = resolve));
    const offsetsAfterRestart: number[] = [];
    page.on('request', (request) => {
      if (restarted && isPatch(request)) offsetsAfterRestart.push(Number(request.headers()['upload-offset']));
    });
    await page.route('**/api/v1/uploads/*', async (route) => {
      if (!restarted && route.request().method() === 'PATCH' && ++patches > 1) return secondHeld();
      await route.continue();
    });
    const firstChunkStored = page.waitForResponse(
      (response) => isPatch(response.request()) && response.status() === 204,
    );
    await byTestId(page, 'file-input').setInputFiles(file);
    await firstChunkStored;
    await secondChunkHeld;

    restarted = true;
    await page.reload();
    await byTestId(page, 'pending-upload')
      .filter({ hasText: basename(file) })
      .first()
      .waitFor();
    await screenshot(page, 'mobile-upload-resuming-390x844');
    const code = byTestId(page, 'pickup-code').first();
    await code.waitFor({ state: 'visible', timeout: MOBILE_DEADLINE_MS });
    expect(((await code.textContent()) ?? '').replace(/\s+/g, '')).toMatch(/^[0-9A-Z]{6}$/);
    // It went on from the first chunk the server had, not from the start.
    expect(offsetsAfterRestart[0]).toBe(16 * MIB);
  });
});
