import { usePages } from '../support/browser.js';
import { mobileUrl, openOnPhone, requireBuiltMobileApp } from '../support/mobile-app.js';
import { byTestId, fieldOf } from '../support/mobile-flows.js';
import { webUrl } from '../support/web-app.js';

// The server address a self-hoster types in the settings: checked with a health call before it
// is kept, refused in plain words when nothing answers there.

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();

describe('the server setting', () => {
  it('refuses an address where no Lexy Files server answers, and keeps the old one', async () => {
    const page = await openOnPhone(pages, '/settings');
    await fieldOf(page, 'server-url').fill('http://127.0.0.1:9');
    await byTestId(page, 'check-server').tap();
    await page
      .getByRole('alert')
      .filter({ hasText: /reach|answer/i })
      .first()
      .waitFor();
    expect(await byTestId(page, 'save-server').getAttribute('aria-disabled')).toBe('true');
    expect(await page.evaluate(() => localStorage.getItem('CapacitorStorage.lexy.serverUrl'))).toBeNull();
  });

  it('keeps an address whose health check passes, and the app starts again on it', async () => {
    const page = await openOnPhone(pages, '/settings');
    const server = webUrl('');
    await fieldOf(page, 'server-url').fill(server);
    await byTestId(page, 'check-server').tap();
    await byTestId(page, 'server-check').filter({ hasText: /./ }).waitFor();
    await byTestId(page, 'save-server').tap();
    await page.waitForFunction(
      (expected) => localStorage.getItem('CapacitorStorage.lexy.serverUrl') === expected,
      new URL(server).origin,
    );
    await page.goto(mobileUrl('/settings'));
    await byTestId(page, 'current-server')
      .filter({ hasText: new URL(server).host })
      .waitFor();
  });
});
