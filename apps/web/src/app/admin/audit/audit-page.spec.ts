import { TestBed } from '@angular/core/testing';
import type { AuditEntryView } from '@lexy/client-api';
import { adminTestBed, control, settle } from '../shared/testing';
import { AuditPage } from './audit-page';
import { changeLines } from './audit-view';

const ENTRY: AuditEntryView = {
  id: 'a1',
  at: '2026-03-02T10:00:00Z',
  actor: 'admin-1',
  actorEmail: 'root@example.test',
  action: 'user.update',
  target: 'user:u1',
  details: {},
  before: { group: 'normal' },
  after: { group: 'vip' },
  requestId: 'req-1',
};

describe('the audit log', () => {
  it('says each change as before → after, and the details after it', () => {
    expect(changeLines(ENTRY)).toEqual(['group: normal → vip']);
    expect(
      changeLines({
        before: { retentionSeconds: 900, storageBytes: null },
        after: { retentionSeconds: 60, storageBytes: 5 },
        details: { reason: 'copyright notice', block: true },
      }),
    ).toEqual(['retentionSeconds: 900 → 60', 'storageBytes: — → 5', 'reason: copyright notice', 'block: true']);
    expect(changeLines({ before: null, after: { status: 'active' }, details: {} })).toEqual(['status: active']);
  });

  it('lists who did what to what, newest first, a page at a time', async () => {
    const api = {
      audit: vi.fn(async () => ({
        items: [ENTRY, { ...ENTRY, id: 'a2', action: 'file.delete' as const, target: 'file:f1', actorEmail: null }],
        nextCursor: 'c2',
      })),
    };
    adminTestBed(api);
    const fixture = TestBed.createComponent(AuditPage);
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;

    expect(api.audit).toHaveBeenCalledWith({ limit: 50, cursor: undefined });
    const headers = [...element.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers).toEqual(['When', 'Who', 'Action', 'Target', 'Details']);
    const rows = [...element.querySelectorAll('tbody tr')].map((row) => row.textContent!.replace(/\s+/g, ' '));
    expect(rows[0]).toContain('root@example.test');
    expect(rows[0]).toContain('User changed');
    expect(rows[0]).toContain('group: normal → vip');
    // Without an email (an account since deleted) the actor's id stands in.
    expect(rows[1]).toContain('admin-1');
    expect(rows[1]).toContain('File deleted');

    control<HTMLButtonElement>(element, 'button', 'Next')!.click();
    await settle(fixture);
    expect(api.audit).toHaveBeenLastCalledWith({ limit: 50, cursor: 'c2' });
  });
});
