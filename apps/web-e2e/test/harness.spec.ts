import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible, seriousViolations } from './support/axe.js';
import { PHONE, usePages } from './support/browser.js';
import { screenshot, SCREENSHOT_DIR } from './support/screenshots.js';
import { requireBuiltWebApp } from './support/web-app.js';

// The browser helpers, checked against small pages served here: each must be able to see what
// it exists to see, or the browser tests of the app would pass for the wrong reason.
const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title></head>` +
  `<body><main><h1>Harness</h1>${body}</main></body></html>`;
const PAGES: Record<string, string> = {
  '/labelled': page('<label>Pickup code <input name="code"></label><button>Find file</button>'),
  '/unlabelled': page('<input id="nameless" name="code"><button>Find file</button>'),
};

describe('browser test helpers', () => {
  const pages = usePages();
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const body = PAGES[request.url ?? ''];
      response.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(body ?? page('<p>Not here</p>'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the axe scan finds a text field without a label, and says where', async () => {
    const tab = await pages.newPage();
    await tab.goto(`${baseUrl}/unlabelled`);
    const violations = await seriousViolations(tab);
    expect(violations.map((violation) => [violation.id, violation.impact])).toContainEqual(['label', 'critical']);
    await expect(expectAccessible(tab, 'the unlabelled page')).rejects.toThrow(
      /violation\(s\) on the unlabelled page:\n- \[critical\] label: .*\n {4}at #nameless/,
    );
  });

  it('the axe scan passes a page whose field is labelled', async () => {
    const tab = await pages.newPage();
    await tab.goto(`${baseUrl}/labelled`);
    await expectAccessible(tab, 'the labelled page');
  });

  it('the page fixture finds fields by their labels, at the viewport asked for', async () => {
    const tab = await pages.newPage({ viewport: PHONE });
    await tab.goto(`${baseUrl}/labelled`);
    await tab.getByLabel('Pickup code').fill('abc-123');
    expect(await tab.getByRole('textbox', { name: 'Pickup code' }).inputValue()).toBe('abc-123');
    expect(tab.viewportSize()).toEqual(PHONE);
  });

  it('pages of the fixture are separate people: storage is not shared between them', async () => {
    const first = await pages.newPage();
    const second = await pages.newPage();
    await first.goto(`${baseUrl}/labelled`);
    await second.goto(`${baseUrl}/labelled`);
    await first.evaluate(() => localStorage.setItem('who', 'first'));
    expect(await second.evaluate(() => localStorage.getItem('who'))).toBeNull();
  });

  it('saves a screenshot as a PNG under tmp/test-results/web-e2e/screenshots', async () => {
    const tab = await pages.newPage({ viewport: PHONE });
    await tab.goto(`${baseUrl}/labelled`);
    const file = await screenshot(tab, 'harness-labelled-390x844');
    expect(file).toBe(join(SCREENSHOT_DIR, 'harness-labelled-390x844.png'));
    expect(readFileSync(file).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('the build check fails, saying so, without a built web app, and passes with one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'lexy-web-root-'));
    try {
      expect(() => requireBuiltWebApp(folder)).toThrow(/The web app is not built: .*index\.html does not exist/);
      writeFileSync(join(folder, 'index.html'), page(''));
      expect(() => requireBuiltWebApp(folder)).not.toThrow();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
