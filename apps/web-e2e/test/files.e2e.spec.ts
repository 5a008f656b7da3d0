import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { accessTokenOf, getApi, registerInBrowser } from './support/accounts.js';
import { usePages } from './support/browser.js';
import { randomFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { requireBuiltWebApp } from './support/web-app.js';

// "My files" as a person uses it: a new account sends a file, finds it in its list and deletes it.
const UPLOAD_DEADLINE_MS = 60_000;

describe('my files in the browser', () => {
  const pages = usePages();
  const files: string[] = [];

  beforeAll(() => requireBuiltWebApp());
  afterAll(() => files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true })));

  it('register, send a file, find it in My files, delete it: it is gone', async () => {
    const file = randomFile('quarterly-figures.bin', 4096);
    files.push(file);
    const name = basename(file);
    const page = await pages.newPage();

    await registerInBrowser(page);
    const nav = page.getByRole('navigation', { name: 'Main' });

    await nav.getByRole('link', { name: 'Send', exact: true }).click();
    await page.getByLabel('Choose files').setInputFiles(file);
    const result = page.getByRole('region', { name: 'Your pickup code' });
    await result.waitFor({ state: 'visible', timeout: UPLOAD_DEADLINE_MS });
    const code = ((await result.getByRole('heading', { level: 2 }).textContent()) ?? '').replace(/\s+/g, '');

    await nav.getByRole('link', { name: 'My files', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor({ state: 'visible' });
    expect(await row.textContent()).toContain('Active');
    await screenshot(page, 'files-listed');

    const token = await accessTokenOf(page);
    const listed = (await (await getApi('/files', token)).json()) as { items: { id: string; code: string }[] };
    const id = listed.items.find((item) => item.code === code)?.id;
    expect(id).toBeDefined();

    // The page asks before deleting; the person says yes.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect((await getApi(`/files/${id}`, token)).status).toBe(404);
    await page.getByText('You have no files yet.').waitFor({ state: 'visible' });
  });
});
