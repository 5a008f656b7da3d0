import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { registerInBrowser, signInInBrowser, type Credentials } from './support/accounts.js';
import {
  adminCredentials,
  isConsoleCode,
  openConsoleAsAdmin,
  openConsolePage,
  recordScripts,
} from './support/admin.js';
import { expectAccessible } from './support/axe.js';
import { DESKTOP, PHONE, usePages } from './support/browser.js';
import { eventually } from './support/database.js';
import { randomFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { sendInBrowser } from './support/send.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// The admin console as the first administrator uses it, against the real platform: a group
// change reaches the user's Account page, a disabled user's open page is signed out, the
// console's code never reaches anyone else's browser, and every page passes axe-core.
// (Changing a group's limits, which is global, has its own file: admin-retention.e2e.spec.ts.)

/** The users page, searched down to one user's row. */
async function findUser(admin: Page, email: string): Promise<void> {
  await openConsolePage(admin, 'Users');
  await admin.getByRole('searchbox', { name: 'Search email or name' }).fill(email);
  await admin.getByRole('row', { name: new RegExp(email) }).waitFor({ state: 'visible' });
  // The search goes out when the typing stops: then the header and that user are left.
  await eventually(
    () => admin.getByRole('row').count(),
    (rows) => rows === 2,
  );
}

async function openAccount(page: Page): Promise<string[]> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
  const limits = page.getByRole('region', { name: 'Limits of your group' });
  await limits.waitFor({ state: 'visible' });
  return (await limits.getByRole('definition').allTextContents()).map((text) => text.trim());
}

describe('the admin console in the browser', () => {
  const pages = usePages();

  beforeAll(() => requireBuiltWebApp());

  it('the admin promotes a user to VIP in the table, and the user’s Account page shows VIP limits', async () => {
    const user = await pages.newPage();
    const { email } = await registerInBrowser(user);
    expect(await openAccount(user)).toEqual(['8 MB/s', '2 GB', '10 GB', '5 GB per day', '6 h']);

    const admin = await pages.newPage();
    await openConsoleAsAdmin(admin);
    await findUser(admin, email);
    await admin.getByRole('combobox', { name: `Group of ${email}` }).selectOption('vip');
    await admin.getByRole('status').getByText(`${email} is now in the group VIP.`).waitFor({ state: 'visible' });

    // The user's own browser, without signing in again, on their next visit to Account: the vip
    // group's limits (docs/api.md).
    await user.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My files', exact: true }).click();
    await user.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ state: 'visible' });
    expect(await openAccount(user)).toEqual(['15 MB/s', '5 GB', '40 GB', '500 GB per month', '5 days']);
    const you = user.getByRole('region', { name: 'You' });
    expect(await you.getByRole('definition').allTextContents()).toContain('VIP');

    // A reload shows the saved group, not the optimistic one.
    await admin.reload();
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ state: 'visible' });
    await admin.getByRole('searchbox', { name: 'Search email or name' }).fill(email);
    const group = admin.getByRole('combobox', { name: `Group of ${email}` });
    await group.waitFor({ state: 'visible' });
    expect(await group.inputValue()).toBe('vip');
  });

  it('the admin disables a user: their idle open page ends on the sign-in page; enabled again, they sign in', async () => {
    const user = await pages.newPage();
    const credentials: Credentials = await registerInBrowser(user);
    await user.goto(webUrl('/files'));
    await user.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ state: 'visible' });

    const admin = await pages.newPage();
    await openConsoleAsAdmin(admin);
    await findUser(admin, credentials.email);
    await admin.getByRole('button', { name: `Disable ${credentials.email}`, exact: true }).click();
    const dialog = admin.getByRole('dialog', { name: `Disable ${credentials.email}?` });
    await dialog.waitFor({ state: 'visible' });
    await expectAccessible(admin, 'the disable dialog');
    await dialog.getByRole('button', { name: 'Disable account', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin
      .getByRole('row', { name: new RegExp(credentials.email) })
      .getByText('Disabled')
      .waitFor();

    // The user's page does nothing; its session watch finds the account disabled.
    await user.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
    await user.getByRole('alert').getByText('This account has been disabled.', { exact: false }).waitFor();
    expect(await user.getByRole('link', { name: 'Sign out', exact: true }).count()).toBe(0);

    await admin.getByRole('button', { name: `Enable ${credentials.email}`, exact: true }).click();
    await admin
      .getByRole('dialog', { name: `Enable ${credentials.email}?` })
      .getByRole('button', { name: 'Enable account', exact: true })
      .click();
    await admin.getByRole('status').getByText(`${credentials.email} can sign in again.`).waitFor();
    await signInInBrowser(user, credentials);
  });

  it('a non-admin’s browser, signed in or out, is turned away from /admin and never loads its code', async () => {
    // The administrator's browser loads the console: its chunks are found by what they hold.
    const admin = await pages.newPage();
    await signInInBrowser(admin, adminCredentials());
    const adminScripts = recordScripts(admin);
    await admin.goto(webUrl('/admin'));
    await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ state: 'visible' });
    const consoleChunks: string[] = [];
    for (const url of new Set(adminScripts)) if (await isConsoleCode(url)) consoleChunks.push(url);
    expect(consoleChunks.length).toBeGreaterThan(0);

    const person = await pages.newPage();
    const personScripts = recordScripts(person);
    await registerInBrowser(person);
    expect(await person.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    await person.goto(webUrl('/admin/users'));
    await person.waitForURL((url) => url.pathname === '/');
    await person.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });

    const visitor = await pages.newPage();
    const visitorScripts = recordScripts(visitor);
    await visitor.goto(webUrl('/admin'));
    await visitor.waitForURL((url) => url.pathname === '/login');
    await visitor.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'visible' });

    for (const scripts of [personScripts, visitorScripts]) {
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((url) => consoleChunks.includes(url))).toEqual([]);
      for (const url of new Set(scripts)) expect(await isConsoleCode(url)).toBe(false);
    }
  });

  it.each([
    { viewport: DESKTOP, size: `${DESKTOP.width}x${DESKTOP.height}` },
    { viewport: PHONE, size: `${PHONE.width}x${PHONE.height}` },
  ])('every page of the console: one level-1 heading, no serious violations ($size)', async ({ viewport, size }) => {
    // Something in each list: a user (registered here) and their file.
    const file = randomFile('admin-console.bin', 200_000);
    try {
      const person = await pages.newPage();
      const { email } = await registerInBrowser(person);
      await sendInBrowser(person, file);

      const admin = await pages.newPage({ viewport });
      await openConsoleAsAdmin(admin);
      const visits = [
        { link: 'Overview', name: 'overview', ready: () => admin.getByRole('img').first().waitFor() },
        { link: 'Users', name: 'users', ready: () => admin.getByRole('row', { name: new RegExp(email) }).waitFor() },
        {
          link: 'Files',
          name: 'files',
          ready: () =>
            admin
              .getByRole('row', { name: new RegExp(basename(file)) })
              .first()
              .waitFor(),
        },
        {
          link: 'Groups and limits',
          name: 'groups',
          ready: () => admin.getByRole('region', { name: 'Anonymous (no account)' }).waitFor(),
        },
        {
          link: 'Audit log',
          name: 'audit',
          ready: () => admin.getByRole('table').or(admin.getByText('No admin action yet.')).first().waitFor(),
        },
      ];
      for (const visit of visits) {
        await openConsolePage(admin, visit.link);
        await visit.ready();
        expect(await admin.getByRole('heading', { level: 1 }).count()).toBe(1);
        await screenshot(admin, `admin-${visit.name}-${size}`);
        await expectAccessible(admin, `the admin ${visit.name} page at ${size}`);
      }

      // The takedown dialog too.
      await openConsolePage(admin, 'Files');
      await admin
        .getByRole('button', { name: `Delete ${basename(file)}` })
        .first()
        .click();
      const dialog = admin.getByRole('dialog', { name: `Delete “${basename(file)}”?` });
      await dialog.waitFor({ state: 'visible' });
      await expectAccessible(admin, `the delete dialog at ${size}`);
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});
