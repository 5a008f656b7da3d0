import { TestBed } from '@angular/core/testing';
import { ApiError, type AdminFileView } from '@lexy/client-api';
import { adminTestBed, control, polyfillDialog, settle, type } from '../shared/testing';
import { AdminFilesPage } from './admin-files-page';

function aFile(overrides: Partial<AdminFileView>): AdminFileView {
  return {
    id: 'f1',
    ownerId: 'u1',
    ownerEmail: 'ada@example.test',
    name: 'report.pdf',
    size: 1_500_000,
    mimeType: 'application/pdf',
    sha256: 'ab'.repeat(32),
    status: 'active',
    createdAt: '2026-03-02T10:00:00Z',
    expiresAt: '2026-03-02T16:00:00Z',
    purgeAt: '2026-03-09T16:00:00Z',
    downloads: 2,
    downloadLimit: 5,
    pinProtected: false,
    ...overrides,
  };
}

async function render(files: AdminFileView[], owner?: string) {
  polyfillDialog();
  const api = {
    files: vi.fn(async () => ({ items: files, nextCursor: null })),
    deleteFile: vi.fn(async () => undefined),
    restoreFile: vi.fn(),
  };
  adminTestBed(api);
  const fixture = TestBed.createComponent(AdminFilesPage);
  if (owner) fixture.componentRef.setInput('owner', owner);
  await settle(fixture);
  const element = fixture.nativeElement as HTMLElement;
  const dialog = element.querySelector('dialog')!;
  return {
    api,
    fixture,
    element,
    dialog,
    button: (name: string, root: HTMLElement = element) => control<HTMLButtonElement>(root, 'button', name),
    rows: () => [...element.querySelectorAll('tbody tr')].map((row) => row.textContent!.replace(/\s+/g, ' ').trim()),
  };
}

describe('AdminFilesPage', () => {
  it('lists the files of the owner the users page linked to, with owner, size, status and downloads', async () => {
    const anonymous = aFile({
      id: 'f2',
      ownerId: 'ip:203.0.113.7',
      ownerEmail: null,
      status: 'expired',
      name: 'old.zip',
    });
    const { api, element, rows, button } = await render([aFile({}), anonymous], 'u1');

    expect(api.files).toHaveBeenCalledWith({
      owner: 'u1',
      query: '',
      status: undefined,
      sort: 'createdAt',
      order: 'desc',
      limit: 25,
      cursor: undefined,
    });
    expect(element.querySelector<HTMLInputElement>('#files-owner')!.value).toBe('u1');
    expect(rows()[0]).toContain('ada@example.test');
    expect(rows()[0]).toContain('1.5 MB');
    expect(rows()[0]).toContain('2 / 5');
    expect(rows()[1]).toContain('ip:203.0.113.7');
    expect(rows()[1]).toContain('Expired');
    // Restore is offered for the expired file only.
    expect(button('Restore report.pdf')).toBeNull();
    expect(button('Restore old.zip')).not.toBeNull();
  });

  it('sorts by size, and filters by status', async () => {
    const { api, fixture, element, button } = await render([aFile({})]);
    button('Size')!.click();
    await settle(fixture);
    expect(api.files).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'size', order: 'desc' }));

    const status = element.querySelector<HTMLSelectElement>('#files-status')!;
    status.value = 'expired';
    status.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(api.files).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'expired', sort: 'size' }));
  });

  it('deletes a file as a takedown, with its reason, once the dialog is confirmed', async () => {
    const { api, fixture, dialog, button, rows, element } = await render([aFile({})]);
    button('Delete report.pdf')!.click();
    await settle(fixture);
    expect(dialog.open).toBe(true);
    expect(dialog.querySelector('h2')!.textContent).toBe('Delete “report.pdf”?');

    const block = dialog.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    expect(block.closest('label')!.textContent!.trim()).toBe('Block these bytes (takedown)');
    block.click();
    type(dialog.querySelector('textarea')!, 'copyright notice 42');
    button('Delete file', dialog)!.click();
    await settle(fixture);

    expect(api.deleteFile).toHaveBeenCalledWith('f1', { block: true, reason: 'copyright notice 42' });
    expect(rows()).toEqual([]);
    expect(element.querySelector('[role="status"]')!.textContent).toContain(
      '“report.pdf” was deleted, and its bytes cannot be uploaded again.',
    );
  });

  it('asks afresh each time: a cancelled takedown leaves nothing checked for the next file', async () => {
    const { api, fixture, dialog, button } = await render([aFile({})]);
    button('Delete report.pdf')!.click();
    await settle(fixture);
    dialog.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    button('Cancel', dialog)!.click();
    await settle(fixture);
    expect(api.deleteFile).not.toHaveBeenCalled();

    button('Delete report.pdf')!.click();
    await settle(fixture);
    expect(dialog.querySelector<HTMLInputElement>('input[type="checkbox"]')!.checked).toBe(false);
    button('Delete file', dialog)!.click();
    await settle(fixture);
    expect(api.deleteFile).toHaveBeenCalledWith('f1', { block: false, reason: '' });
  });

  it('restores an expired file, or says why it could not', async () => {
    const expired = aFile({ status: 'expired' });
    const { api, fixture, element, button, rows } = await render([expired]);
    api.restoreFile.mockRejectedValueOnce(new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', 'full', {}));
    button('Restore report.pdf')!.click();
    await settle(fixture);
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('Your storage is full');
    expect(rows()[0]).toContain('Expired');

    api.restoreFile.mockResolvedValueOnce({ file: aFile({ status: 'active' }) });
    button('Restore report.pdf')!.click();
    await settle(fixture);
    expect(api.restoreFile).toHaveBeenLastCalledWith('f1');
    expect(rows()[0]).toContain('Active');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });
});
