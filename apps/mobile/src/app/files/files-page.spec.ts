import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular';
import { ApiError, type FileView } from '@lexy/client-api';
import { API_CLIENT, SessionStore } from '@lexy/client-state';
import { ConfirmDelete } from './confirm-delete';
import { FilesPage } from './files-page';

const HOUR_MS = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();
const user = { id: 'u1', email: 'ada@example.test', displayName: null, group: 'normal' as const, createdAt: '' };

function aFile(overrides: Partial<FileView> = {}): FileView {
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

/** The page with the files API faked at its boundary, the clipboard and the confirmation stood in for. */
async function render(items: FileView[] | null, { answer = true } = {}) {
  localStorage.clear();
  const api = {
    files: vi.fn(async () => ({ items: items ?? [] })),
    deleteFile: vi.fn(async () => undefined),
    restoreFile: vi.fn(async (id: string) => ({ file: aFile({ id, status: 'active', name: 'old.zip' }) })),
  };
  const clipboard = { copy: vi.fn(() => true) };
  const confirm = { ask: vi.fn(async () => answer) };
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter([]),
      { provide: API_CLIENT, useValue: api },
      { provide: Clipboard, useValue: clipboard },
      { provide: ConfirmDelete, useValue: confirm },
    ],
  });
  if (items) TestBed.inject(SessionStore).start({ user, accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  const fixture = TestBed.createComponent(FilesPage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const rows = () => [...element.querySelectorAll<HTMLElement>('[data-testid="my-file"]')];
  /** Clicks a button of the row of a file, by the button's hook. */
  const click = async (fileName: string, testId: string) => {
    const row = rows().find((r) => r.querySelector('[data-testid="my-file-name"]')!.textContent === fileName)!;
    row.querySelector<HTMLElement>(`[data-testid="${testId}"]`)!.click();
    await fixture.whenStable();
  };
  return { fixture, element, api, clipboard, confirm, rows, click };
}

describe('FilesPage', () => {
  it('prompts a visitor to sign in, and asks the API nothing', async () => {
    const { element, api } = await render(null);
    expect(element.querySelector('[data-testid="to-sign-in"]')).not.toBeNull();
    expect(api.files).not.toHaveBeenCalled();
  });

  it('lists each file with its size, status, time left and code', async () => {
    const expired = aFile({
      id: 'f2',
      name: 'old.zip',
      status: 'expired',
      expiresAt: inHours(-1),
      purgeAt: inHours(30),
    });
    const { rows } = await render([aFile(), expired]);
    const [first, second] = rows();
    expect(first!.querySelector('[data-testid="my-file-name"]')!.textContent).toBe('report.pdf');
    expect(first!.textContent).toContain('1.5 MB');
    expect(first!.querySelector('[data-testid="my-file-status"]')!.textContent).toBe('Active');
    expect(first!.querySelector('[data-testid="my-file-expiry"]')!.textContent).toMatch(/Expires in (4 h 59 min|5 h)/);
    expect(first!.querySelector('[data-testid="my-file-code"]')!.textContent).toBe('7K3 M9Q');
    expect(second!.querySelector('[data-testid="my-file-status"]')!.textContent).toBe('Expired');
    expect(second!.querySelector('[data-testid="my-file-expiry"]')!.textContent).toMatch(
      /deleted for good in (29 h 59 min|30 h)/,
    );
    // An expired file has no code to copy, but can be restored.
    expect(second!.querySelector('[data-testid="my-file-code"]')).toBeNull();
    expect(second!.querySelector('[data-testid="restore-file"]')).not.toBeNull();
  });

  it('says when there are no files', async () => {
    const { element } = await render([]);
    expect(element.querySelector('[data-testid="no-files"]')!.textContent).toBe('You have no files yet.');
  });

  it('copies a code and says so next to it', async () => {
    const { click, clipboard, rows } = await render([aFile()]);
    await click('report.pdf', 'copy-code');
    expect(clipboard.copy).toHaveBeenCalledWith('7K3M9Q');
    expect(rows()[0]!.querySelector('.copied')!.textContent!.trim()).toBe('Copied');
  });

  it('deletes a file only once the person confirmed', async () => {
    const kept = await render([aFile()], { answer: false });
    await kept.click('report.pdf', 'delete-file');
    expect(kept.confirm.ask).toHaveBeenCalledWith('report.pdf');
    expect(kept.api.deleteFile).not.toHaveBeenCalled();
    expect(kept.rows()).toHaveLength(1);

    TestBed.resetTestingModule();
    const deleted = await render([aFile()], { answer: true });
    await deleted.click('report.pdf', 'delete-file');
    expect(deleted.api.deleteFile).toHaveBeenCalledWith('f1');
    expect(deleted.rows()).toHaveLength(0);
  });

  it('restores an expired file, which is active again', async () => {
    const { click, api, rows } = await render([aFile({ id: 'f2', name: 'old.zip', status: 'expired' })]);
    await click('old.zip', 'restore-file');
    expect(api.restoreFile).toHaveBeenCalledWith('f2');
    expect(rows()[0]!.querySelector('[data-testid="my-file-status"]')!.textContent).toBe('Active');
  });

  it('loads the list again when pulled down, and ends the refresher', async () => {
    const { element, api, fixture, rows } = await render([]);
    api.files.mockResolvedValue({ items: [aFile()] });
    const complete = vi.fn(async () => undefined);
    const refresher = element.querySelector('ion-refresher')!;
    // The page completes the refresher that the event came from.
    Object.defineProperty(refresher, 'complete', { value: complete });
    refresher.dispatchEvent(new CustomEvent('ionRefresh'));
    await fixture.whenStable();
    expect(api.files).toHaveBeenCalledTimes(2);
    expect(complete).toHaveBeenCalled();
    expect(rows()).toHaveLength(1);
  });

  it('shows a failure as an alert', async () => {
    const { element, api, fixture } = await render([]);
    api.files.mockRejectedValue(new ApiError(0, 'NETWORK_ERROR', 'offline'));
    const refresher = element.querySelector('ion-refresher')!;
    Object.defineProperty(refresher, 'complete', { value: async () => undefined });
    refresher.dispatchEvent(new CustomEvent('ionRefresh'));
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')).not.toBeNull();
  });
});
