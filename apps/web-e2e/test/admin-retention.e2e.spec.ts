import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { adminApi, adminToken, openConsoleAsAdmin, openConsolePage } from './support/admin.js';
import { usePages } from './support/browser.js';
import { eventually } from './support/database.js';
import { randomFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { sendInBrowser } from './support/send.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// An admin shortens the anonymous group's retention to its minimum, a minute, in the groups
// editor; a file sent anonymously afterwards expires a minute after it was stored, not before.
// Group limits are global: this file is alone in changing them, the suite runs one file at a
// time (jest.config.mjs maxWorkers 1, --runInBand), and the original retention is put back in
// afterAll whatever happens.

interface GroupView {
  name: string;
  limits: { retentionSeconds: number | null };
}

const pickupStatus = async (code: string) => (await fetch(webUrl(`/api/v1/files/pickup/${code}`))).status;

describe('a group’s retention changed in the admin console', () => {
  const pages = usePages();
  let token = '';
  let original: number | null = null;

  beforeAll(async () => {
    requireBuiltWebApp();
    token = await adminToken();
    const groups = (await (await adminApi(token, 'GET', '/groups')).json()) as { items: GroupView[] };
    original = groups.items.find((group) => group.name === 'anonymous')!.limits.retentionSeconds;
  });

  afterAll(async () => {
    const restored = await adminApi(token, 'PATCH', '/groups/anonymous', { limits: { retentionSeconds: original } });
    expect(restored.status).toBe(200);
  });

  it('a minute for anonymous files: a new anonymous file’s pickup resolves for that minute, then stops', async () => {
    const admin = await pages.newPage();
    await openConsoleAsAdmin(admin);
    await openConsolePage(admin, 'Groups and limits');
    const anonymous = admin.getByRole('region', { name: 'Anonymous (no account)' });
    const retention = anonymous.getByRole('group', { name: 'Files are kept for' });
    await retention.getByRole('spinbutton', { name: 'Files are kept for' }).fill('1');
    await retention.getByRole('combobox', { name: 'Unit' }).selectOption('minutes');
    await anonymous.getByRole('button', { name: 'Save limits', exact: true }).click();
    await anonymous.getByText('The limits of Anonymous (no account) are saved.').waitFor({ state: 'visible' });
    await screenshot(admin, 'admin-groups-saved');
    const saved = (await (await adminApi(token, 'GET', '/groups')).json()) as { items: GroupView[] };
    expect(saved.items.find((group) => group.name === 'anonymous')!.limits.retentionSeconds).toBe(60);

    const file = randomFile('a-minute.txt', 2048);
    try {
      const visitor = await pages.newPage();
      const sentAfter = Date.now();
      const { code } = await sendInBrowser(visitor, file);
      const found = await fetch(webUrl(`/api/v1/files/pickup/${code}`));
      expect(found.status).toBe(200);
      const expiresAt = Date.parse(((await found.json()) as { file: { expiresAt: string } }).file.expiresAt);
      // A minute from when it was stored (between the upload's start and now).
      expect(expiresAt).toBeGreaterThanOrEqual(sentAfter + 60_000 - 1_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000 + 1_000);

      // Not before: it resolves until its moment (the last two seconds are left to the clocks).
      await eventually(
        async () => ({ status: await pickupStatus(code), now: Date.now() }),
        ({ status, now }) => {
          expect(status).toBe(200);
          return now >= expiresAt - 2_000;
        },
        90_000,
      );
      // On time: gone soon after it.
      const gone = await eventually(
        async () => ({ status: await pickupStatus(code), now: Date.now() }),
        ({ status }) => status !== 200,
        30_000,
      );
      expect([404, 410]).toContain(gone.status);
      expect(gone.now).toBeGreaterThanOrEqual(expiresAt - 2_000);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  }, 240_000);
});
