import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { ApiError, type FileView } from '@lexy/client-api';
import { API_CLIENT } from '@lexy/client-state';
import { FilesPage } from './files-page';

const HOUR_MS = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

function aFile(overrides: Partial<FileView>): FileView {
  return {
    id: 'f1',
    name: 'report.pdf',
    size: 1_500_000,
    mimeType: 'application/pdf',
    sha256: 'ab'.repeat(32),
    code: '7K3M9Q',
    status: 'active',
    createdAt: inHours(-1),
    expiresAt: inHours(5),
    purgeAt: inHours(5 + 7 * 24),
    downloads: 0,
    downloadLimit: null,
    pinProtected: false,
    pinLocked: false,
    shareUrl: 'http://localhost:8080/p/7K3M9Q?t=token',
    ...overrides,
  };
}

/** The page with a fake API: `files` answers the list; `deleteFile` and `restoreFile` the actions. */
async function render(files: () => Promise<{ items: FileView[] }>) {
  const api = { files: vi.fn(files), deleteFile: vi.fn(() => Promise.resolve(undefined)), restoreFile: vi.fn() };
  const clipboard = { copy: vi.fn(() => true) };
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: api },
      { provide: Clipboard, useValue: clipboard },
    ],
  });
  const fixture = TestBed.createComponent(FilesPage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const button = (name: string) => element.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);
  const click = async (name: string) => {
    button(name)!.click();
    await fixture.whenStable();
  };
  return { api, clipboard, element, button, click };
}

describe('FilesPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists each file in a table with its size, status, countdown and share link', async () => {
    const active = aFile({});
    const expired = aFile({
      id: 'f2',
      name: 'old.zip',
      status: 'expired',
      expiresAt: inHours(-1),
      purgeAt: inHours(30),
    });
    const { element, button } = await render(async () => ({ items: [active, expired] }));

    const headers = [...element.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers).toEqual(['Name', 'Size', 'Status', 'Time left', 'Code', 'Actions']);
    const [first, second] = [...element.querySelectorAll('tbody tr')].map((row) => row.textContent!);
    expect(first).toContain('report.pdf');
    expect(first).toContain('1.5 MB');
    expect(first).toContain('Active');
    expect(first).toMatch(/Expires in (4 h 59 min|5 h)/);
    expect(first).toContain('7K3 M9Q');
    expect(second).toContain('Expired');
    expect(second).toMatch(/Deleted for good in (29 h 59 min|30 h)/);
    expect(element.querySelector('a[aria-label="Share link of report.pdf"]')!.getAttribute('href')).toBe(
      active.shareUrl,
    );
    // An expired file offers Restore and no longer its code to copy.
    expect(button('Restore report.pdf')).toBeNull();
    expect(button('Restore old.zip')).not.toBeNull();
    expect(button('Copy code of old.zip')).toBeNull();
  });

  it('deletes a file after the confirmation and takes it off the list', async () => {
    const confirm = vi.spyOn(globalThis, 'confirm').mockReturnValue(true);
    const { api, element, click } = await render(async () => ({ items: [aFile({})] }));
    await click('Delete report.pdf');

    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('report.pdf'));
    expect(api.deleteFile).toHaveBeenCalledWith('f1');
    expect(element.querySelector('tbody tr')).toBeNull();
  });

  it('keeps the file when the confirmation is declined', async () => {
    vi.spyOn(globalThis, 'confirm').mockReturnValue(false);
    const { api, element, click } = await render(async () => ({ items: [aFile({})] }));
    await click('Delete report.pdf');

    expect(api.deleteFile).not.toHaveBeenCalled();
    expect(element.querySelector('tbody tr')!.textContent).toContain('report.pdf');
  });

  it('restores an expired file and shows it active again', async () => {
    const expired = aFile({ status: 'expired', expiresAt: inHours(-1), purgeAt: inHours(10) });
    const { api, element, click, button } = await render(async () => ({ items: [expired] }));
    api.restoreFile.mockResolvedValue({ file: aFile({ expiresAt: inHours(24) }) });
    await click('Restore report.pdf');

    expect(api.restoreFile).toHaveBeenCalledWith('f1');
    expect(element.querySelector('tbody tr')!.textContent).toContain('Active');
    expect(button('Restore report.pdf')).toBeNull();
  });

  it('copies the pickup code', async () => {
    const { clipboard, element, click } = await render(async () => ({ items: [aFile({})] }));
    await click('Copy code of report.pdf');
    expect(clipboard.copy).toHaveBeenCalledWith('7K3M9Q');
    expect(element.querySelector('.copied')!.textContent).toContain('Copied');
  });

  it('says in plain words in an alert why a restore failed', async () => {
    const expired = aFile({ status: 'expired', expiresAt: inHours(-1), purgeAt: inHours(1) });
    const { api, element, click } = await render(async () => ({ items: [expired] }));
    api.restoreFile.mockRejectedValue(new ApiError(0, 'NETWORK_ERROR', 'Failed to fetch'));
    await click('Restore report.pdf');
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('The server cannot be reached');
  });

  it('says in plain words in an alert why the list could not be loaded', async () => {
    const { element } = await render(() => Promise.reject(new ApiError(401, 'UNAUTHENTICATED', '')));
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('Please sign in to do this.');
  });
});
