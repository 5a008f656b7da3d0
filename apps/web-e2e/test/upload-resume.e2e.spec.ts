import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Request } from 'playwright-core';
import { usePages } from './support/browser.js';
import { downloadSha256, randomFile, sha256OfFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// A resumable upload as a person lives it: the page is reloaded in the middle of an upload,
// says that the upload can go on, and choosing the same file takes it up where the server has
// it. The interruption is made by holding back requests (page.route), never by timing.
const UPLOAD_DEADLINE_MS = 90_000;
const MIB = 1024 * 1024;
/** More than two of the client's 16 MiB tus chunks. */
const SIZE = 40 * MIB;
const isPatch = (request: Request) => request.method() === 'PATCH' && request.url().includes('/api/v1/uploads/');

describe('resuming an upload after a reload', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('an interrupted upload resumes after a reload from the server’s offset and is picked up whole', async () => {
    const file = randomFile('long-recording.bin', SIZE);
    files.push(file);
    const name = basename(file);
    const page = await pages.newPage();
    await page.goto(webUrl('/'));

    // Before the reload the first chunk goes through and the second is held back, never to be
    // answered (the reload cancels it). After it, every PATCH is seen, and the first waits until
    // the page has said where it resumes. One handler, so that nothing lets the held one go.
    let reloaded = false;
    let patches = 0;
    let secondHeld!: () => void;
    const secondChunkHeld = new Promise<void>((resolve) => (secondHeld = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const patchesAfterReload: Request[] = [];
    page.on('request', (request) => {
      if (reloaded && isPatch(request)) patchesAfterReload.push(request);
    });
    await page.route('**/api/v1/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH') {
        if (!reloaded && ++patches > 1) return secondHeld();
        if (reloaded) await released;
      }
      await route.continue();
    });
    const firstChunkStored = page.waitForResponse(
      (response) => isPatch(response.request()) && response.status() === 204,
    );
    await page.getByLabel('Choose files').setInputFiles(file);
    await firstChunkStored;
    await secondChunkHeld;

    reloaded = true;
    await page.reload();
    const notice = page.getByText(new RegExp(`Choose the same file to resume “${name}” \\((\\d+)% uploaded\\)`));
    await notice.waitFor({ state: 'visible' });
    const remembered = Number(/\((\d+)%/.exec((await notice.textContent()) ?? '')?.[1]);
    // By the server's count: the first chunk, 16 MiB of the 40.
    expect(remembered).toBe(40);
    await screenshot(page, 'send-resume-notice');

    await page.getByLabel('Choose files').setInputFiles(file);
    await page.getByText(`Resuming at ${remembered}%`).waitFor({ state: 'visible' });
    await screenshot(page, 'send-resuming');
    release();

    const result = page.getByRole('region', { name: 'Your pickup code' });
    await result.waitFor({ state: 'visible', timeout: UPLOAD_DEADLINE_MS });
    const code = ((await result.getByRole('heading', { level: 2 }).textContent()) ?? '').replace(/\s+/g, '');
    expect(code).toMatch(/^[0-9A-Z]{6}$/);

    expect(patchesAfterReload.length).toBeGreaterThan(0);
    const resumedAt = Number(await patchesAfterReload[0]!.headerValue('upload-offset'));
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBe(16 * MIB);

    const pickedUp = await downloadSha256(webUrl(`/api/v1/files/pickup/${code}/download`));
    expect(pickedUp.status).toBe(200);
    expect(pickedUp.sha256).toBe(await sha256OfFile(file));
  });
});
