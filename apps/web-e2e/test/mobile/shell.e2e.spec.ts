import { usePages } from '../support/browser.js';
import { openOnPhone, requireBuiltMobileApp } from '../support/mobile-app.js';

// The mobile app's web build on a phone-sized, touch screen: its five tabs, reached by tapping,
// talking to the platform's gateway from an origin of its own (the gateway's CORS lets it in).

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();

describe('the mobile app’s shell', () => {
  it('shows the five tabs and moves between them by touch', async () => {
    const page = await openOnPhone(pages, '/');
    await page.waitForURL(/\/home$/);
    const tabs = page.locator('ion-tab-button');
    await tabs.first().waitFor();
    expect(await tabs.allInnerTexts()).toEqual(['Send', 'Pick up', 'My files', 'Devices', 'Account']);
    await page.locator('ion-tab-button[tab="pickup"]').tap();
    await page.waitForURL(/\/pickup$/);
    await page.locator('ion-tab-button[tab="account"]').tap();
    await page.waitForURL(/\/account$/);
  });

  it('takes its server from the build’s server.json and reaches it across origins', async () => {
    const page = await openOnPhone(pages, '/home');
    const health = await page.evaluate(async () => {
      const { serverUrl } = (await (await fetch('/server.json')).json()) as { serverUrl: string };
      const response = await fetch(`${serverUrl}/api/v1/health`);
      return { crossOrigin: new URL(serverUrl).origin !== location.origin, status: response.status };
    });
    expect(health).toEqual({ crossOrigin: true, status: 200 });
  });
});
