import { readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { usePages } from '../support/browser.js';
import { randomFile, sha256OfFile } from '../support/files.js';
import { requireBuiltMobileApp } from '../support/mobile-app.js';
import { byTestId, MOBILE_DEADLINE_MS, openTab, registerOnPhone, signInOnPhone } from '../support/mobile-flows.js';
import { screenshot } from '../support/screenshots.js';

// Two phones signed in to one account: each registers itself as a device and sees the other
// online; one offers a file, the other accepts it, and the bytes come through the relay whole.

beforeAll(() => requireBuiltMobileApp());
const pages = usePages();
const files: string[] = [];
afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

describe('devices on a phone', () => {
  it('accepts an offer sent from a second signed-in phone and saves the file', async () => {
    const file = randomFile('boarding-pass.pdf', 300_000);
    files.push(file);
    const { page: receiver, credentials } = await registerOnPhone(pages);
    const sender = await signInOnPhone(pages, credentials);
    for (const page of [receiver, sender]) {
      await openTab(page, 'devices');
      await byTestId(page, 'this-device').waitFor({ timeout: MOBILE_DEADLINE_MS });
      await byTestId(page, 'other-device').first().waitFor({ timeout: MOBILE_DEADLINE_MS });
    }
    await screenshot(receiver, 'mobile-devices-390x844');

    await byTestId(sender, 'send-to-device').first().tap();
    await byTestId(sender, 'device-file-input').first().setInputFiles(file);

    const offer = byTestId(receiver, 'incoming-offer').first();
    await offer.waitFor({ timeout: MOBILE_DEADLINE_MS });
    expect(await offer.textContent()).toContain(basename(file));
    await screenshot(receiver, 'mobile-incoming-offer-390x844');
    const [download] = await Promise.all([
      receiver.waitForEvent('download', { timeout: MOBILE_DEADLINE_MS }),
      byTestId(receiver, 'accept-offer').first().tap(),
    ]);
    expect(download.suggestedFilename()).toBe(basename(file));
    expect(
      createHash('sha256')
        .update(readFileSync(await download.path()))
        .digest('hex'),
    ).toBe(await sha256OfFile(file));
    await byTestId(receiver, 'received-file').first().waitFor({ timeout: MOBILE_DEADLINE_MS });
  });

  it('declines an offer, and the sender sees it declined', async () => {
    const file = randomFile('not-wanted.zip', 10_000);
    files.push(file);
    const { page: receiver, credentials } = await registerOnPhone(pages);
    const sender = await signInOnPhone(pages, credentials);
    for (const page of [receiver, sender]) {
      await openTab(page, 'devices');
      await byTestId(page, 'other-device').first().waitFor({ timeout: MOBILE_DEADLINE_MS });
    }
    await byTestId(sender, 'send-to-device').first().tap();
    await byTestId(sender, 'device-file-input').first().setInputFiles(file);
    await byTestId(receiver, 'incoming-offer').first().waitFor({ timeout: MOBILE_DEADLINE_MS });
    await byTestId(receiver, 'decline-offer').first().tap();
    await byTestId(receiver, 'incoming-offer').first().waitFor({ state: 'detached', timeout: MOBILE_DEADLINE_MS });
    await sender
      .getByText(/declined|rejected/i)
      .first()
      .waitFor({ timeout: MOBILE_DEADLINE_MS });
  });
});
