import { expectAccessible } from '../support/axe.js';
import { usePages } from '../support/browser.js';
import { openOnPhone, requireBuiltMobileApp } from '../support/mobile-app.js';
import { byTestId, MOBILE_DEADLINE_MS, openTab, registerOnPhone } from '../support/mobile-flows.js';
import { screenshot } from '../support/screenshots.js';

// An axe-core scan of every screen of the mobile app at 390×844, signed out and signed in; each
// screen is also kept as a phone-sized screenshot (the README shows some of them).

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();

describe('every mobile screen passes an axe-core scan', () => {
  it('signed out: send, pick up, my files, devices, account, sign in, register, settings', async () => {
    const page = await openOnPhone(pages, '/home');
    await byTestId(page, 'pick-files').waitFor();
    for (const tab of ['home', 'pickup', 'files', 'devices', 'account'] as const) {
      await openTab(page, tab);
      await expectAccessible(page, `mobile ${tab} (signed out)`);
    }
    for (const screen of ['login', 'register', 'settings']) {
      const other = await openOnPhone(pages, `/${screen}`);
      await other.locator('ion-content').first().waitFor();
      await expectAccessible(other, `mobile ${screen}`);
      await screenshot(other, `mobile-${screen}-390x844`);
    }
  });

  it('signed in: my files, devices and account', async () => {
    const { page } = await registerOnPhone(pages);
    await openTab(page, 'account');
    await byTestId(page, 'sign-out').waitFor({ timeout: MOBILE_DEADLINE_MS });
    await expectAccessible(page, 'mobile account (signed in)');
    await screenshot(page, 'mobile-account-390x844');
    await openTab(page, 'devices');
    await byTestId(page, 'this-device').waitFor({ timeout: MOBILE_DEADLINE_MS });
    await expectAccessible(page, 'mobile devices (signed in)');
    await openTab(page, 'files');
    await expectAccessible(page, 'mobile my files (signed in)');
    await openTab(page, 'home');
    await expectAccessible(page, 'mobile send (signed in)');
    await screenshot(page, 'mobile-home-390x844');
  });
});
