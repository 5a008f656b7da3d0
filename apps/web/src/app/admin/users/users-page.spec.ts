import { TestBed } from '@angular/core/testing';
import { ApiError, type AdminUserView } from '@lexy/client-api';
import { ADMIN_USER, adminTestBed, choose, control, polyfillDialog, settle, type } from '../shared/testing';
import { UsersPage } from './users-page';

function aUser(overrides: Partial<AdminUserView>): AdminUserView {
  return {
    id: 'u1',
    email: 'ada@example.test',
    displayName: 'Ada',
    group: 'normal',
    createdAt: '2026-03-02T10:00:00Z',
    disabled: false,
    ...overrides,
  };
}

const ME = aUser({ id: ADMIN_USER.id, email: ADMIN_USER.email!, group: 'admin', displayName: null });

async function render(users: AdminUserView[] = [aUser({}), ME], nextCursor: string | null = null) {
  polyfillDialog();
  const api = {
    users: vi.fn(async () => ({ items: users, nextCursor })),
    updateUser: vi.fn(),
  };
  adminTestBed(api);
  const fixture = TestBed.createComponent(UsersPage);
  await settle(fixture);
  const element = fixture.nativeElement as HTMLElement;
  return {
    api,
    fixture,
    element,
    button: (name: string) => control<HTMLButtonElement>(element, 'button', name),
    select: (name: string) => control<HTMLSelectElement>(element, 'select', name),
    rows: () => [...element.querySelectorAll('tbody tr')].map((row) => row.textContent!.replace(/\s+/g, ' ').trim()),
    alert: () => element.querySelector('[role="alert"]')?.textContent?.trim() ?? null,
    status: () => element.querySelector('[role="status"]')?.textContent?.trim() ?? '',
  };
}

describe('UsersPage', () => {
  afterEach(() => vi.useRealTimers());

  it('lists the users newest first, each with their group, and a link to their files', async () => {
    const { api, element, select, button, rows } = await render();

    expect(api.users).toHaveBeenCalledWith({
      query: '',
      group: undefined,
      disabled: undefined,
      sort: 'createdAt',
      order: 'desc',
      limit: 25,
      cursor: undefined,
    });
    expect(element.querySelector('h1')!.textContent).toBe('Users');
    expect(rows()[0]).toContain('ada@example.test');
    expect(rows()[0]).toContain('Active');
    expect(select('Group of ada@example.test')!.value).toBe('normal');
    expect(element.querySelector('a[aria-label="Files of ada@example.test"]')!.getAttribute('href')).toBe(
      '/admin/files?owner=u1',
    );
    expect(element.querySelector('th[aria-sort="descending"]')!.textContent!.trim()).toBe('Joined');
    // The admin's own row: no way to lock themself out.
    expect(rows()[1]).toContain('(you)');
    expect(select(`Group of ${ME.email}`)!.disabled).toBe(true);
    expect(button(`Disable ${ME.email}`)).toBeNull();
  });

  it('sorts by a column’s header, and turns the order round on a second press', async () => {
    const { api, fixture, element, button } = await render();
    button('Email')!.click();
    await settle(fixture);
    expect(api.users).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'email', order: 'asc' }));
    expect(element.querySelector('th[aria-sort="ascending"]')!.textContent!.trim()).toBe('Email');

    button('Email')!.click();
    await settle(fixture);
    expect(api.users).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'email', order: 'desc' }));
  });

  it('asks once for what was typed in the search box, when the typing stops, and filters by group and status', async () => {
    const { api, fixture, element } = await render();
    vi.useFakeTimers();
    const search = element.querySelector<HTMLInputElement>('#users-search')!;
    for (const text of ['a', 'ad', 'ada ']) {
      type(search, text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(api.users).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(api.users).toHaveBeenCalledTimes(2);
    expect(api.users).toHaveBeenLastCalledWith(expect.objectContaining({ query: 'ada' }));

    choose(element.querySelector<HTMLSelectElement>('#users-group')!, 'vip');
    choose(element.querySelector<HTMLSelectElement>('#users-disabled')!, 'true');
    await vi.advanceTimersByTimeAsync(10);
    vi.useRealTimers();
    await settle(fixture);
    expect(api.users).toHaveBeenLastCalledWith(
      expect.objectContaining({ query: 'ada', group: 'vip', disabled: true, cursor: undefined }),
    );
  });

  it('pages forward with the next cursor and back again', async () => {
    const { api, fixture, element, button } = await render([aUser({})], 'cursor-2');
    expect(button('Previous')!.disabled).toBe(true);
    button('Next')!.click();
    await settle(fixture);
    expect(api.users).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'cursor-2' }));
    expect(element.textContent).toContain('Page 2');
    expect(button('Previous')!.disabled).toBe(false);

    button('Previous')!.click();
    await settle(fixture);
    expect(api.users).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: undefined }));
    expect(element.textContent).toContain('Page 1');
  });

  it('changes a group in the table at once and keeps it once saved', async () => {
    const { api, fixture, select, status } = await render();
    let save!: (value: { user: AdminUserView }) => void;
    api.updateUser.mockReturnValue(new Promise((resolve) => (save = resolve)));
    choose(select('Group of ada@example.test')!, 'vip');
    await settle(fixture);
    // Shown before the server has answered, with the control waiting for it.
    expect(select('Group of ada@example.test')!.value).toBe('vip');
    expect(select('Group of ada@example.test')!.disabled).toBe(true);
    expect(api.updateUser).toHaveBeenCalledWith('u1', { group: 'vip' });

    save({ user: aUser({ group: 'vip' }) });
    await settle(fixture);
    expect(select('Group of ada@example.test')!.value).toBe('vip');
    expect(select('Group of ada@example.test')!.disabled).toBe(false);
    expect(status()).toBe('ada@example.test is now in the group VIP.');
  });

  it('puts the group back and says why when the change is refused', async () => {
    const { api, fixture, select, alert } = await render();
    api.updateUser.mockRejectedValue(new ApiError(403, 'ADMIN_REQUIRED', 'no'));
    choose(select('Group of ada@example.test')!, 'admin');
    await settle(fixture);
    expect(select('Group of ada@example.test')!.value).toBe('normal');
    expect(alert()).toBe('The group of ada@example.test was not changed: Only administrators may do this.');
  });

  it('disables a user only after the dialog is confirmed, then offers to enable them', async () => {
    const { api, fixture, element, button, rows, status } = await render();
    const dialog = element.querySelector('dialog')!;

    // As from the keyboard: the button has the focus when it is pressed.
    button('Disable ada@example.test')!.focus();
    button('Disable ada@example.test')!.click();
    await settle(fixture);
    expect(dialog.open).toBe(true);
    expect(dialog.querySelector('h2')!.textContent).toBe('Disable ada@example.test?');
    expect(document.activeElement!.textContent!.trim()).toBe('Cancel');
    control<HTMLButtonElement>(dialog, 'button', 'Cancel')!.click();
    await settle(fixture);
    expect(dialog.open).toBe(false);
    expect(api.updateUser).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button('Disable ada@example.test'));

    api.updateUser.mockResolvedValue({ user: aUser({ disabled: true }) });
    button('Disable ada@example.test')!.click();
    await settle(fixture);
    control<HTMLButtonElement>(dialog, 'button', 'Disable account')!.click();
    await settle(fixture);
    expect(api.updateUser).toHaveBeenCalledWith('u1', { disabled: true });
    expect(rows()[0]).toContain('Disabled');
    expect(button('Enable ada@example.test')).not.toBeNull();
    expect(status()).toBe('ada@example.test is disabled and signed out everywhere.');
  });

  it('says in an alert why the list could not be loaded', async () => {
    polyfillDialog();
    const api = { users: vi.fn().mockRejectedValue(new ApiError(0, 'NETWORK_ERROR', '')), updateUser: vi.fn() };
    adminTestBed(api);
    const fixture = TestBed.createComponent(UsersPage);
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')!.textContent).toContain(
      'The server cannot be reached',
    );
  });
});
