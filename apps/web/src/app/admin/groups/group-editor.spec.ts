import { TestBed } from '@angular/core/testing';
import { ApiError, type GroupView } from '@lexy/client-api';
import { adminTestBed, choose, control, settle, type } from '../shared/testing';
import { GroupEditor } from './group-editor';

const ANONYMOUS: GroupView = {
  name: 'anonymous',
  limits: {
    downloadBytesPerSecond: 3_000_000,
    maxFileBytes: 500_000_000,
    storageBytes: 2_000_000_000,
    trafficBytes: 1_000_000_000,
    trafficWindow: 'day',
    retentionSeconds: 900,
  },
};

async function render(group: GroupView = ANONYMOUS) {
  const api = { updateGroup: vi.fn() };
  adminTestBed(api);
  const fixture = TestBed.createComponent(GroupEditor);
  fixture.componentRef.setInput('group', group);
  await settle(fixture);
  const element = fixture.nativeElement as HTMLElement;
  /** The limit's fieldset, found by its legend as a person finds it. */
  const limit = (name: string) => {
    const fieldset = [...element.querySelectorAll('fieldset')].find(
      (each) => each.querySelector('legend')!.textContent!.trim() === name,
    )!;
    return {
      amount: fieldset.querySelector<HTMLInputElement>('input[type="number"]')!,
      unit: fieldset.querySelector<HTMLSelectElement>('select'),
      unlimited: fieldset.querySelector<HTMLInputElement>('input[type="checkbox"]')!,
      text: () => fieldset.textContent!.replace(/\s+/g, ' ').trim(),
      problem: () => fieldset.querySelector('.field-problem')?.textContent?.trim() ?? null,
    };
  };
  const save = async () => {
    control<HTMLButtonElement>(element, 'button', 'Save limits')!.click();
    await settle(fixture);
  };
  return { api, fixture, element, limit, save };
}

describe('GroupEditor', () => {
  it('shows each limit in the unit that reads best, the speed in MB/s', async () => {
    const { element, limit } = await render();
    expect(element.querySelector('h2')!.textContent).toBe('Anonymous (no account)');
    expect(limit('Download speed').amount.value).toBe('3');
    expect(limit('Download speed').text()).toContain('MB/s');
    expect([limit('Largest file').amount.value, limit('Largest file').unit!.value]).toEqual(['500', 'MB']);
    expect([limit('Storage').amount.value, limit('Storage').unit!.value]).toEqual(['2', 'GB']);
    expect([limit('Files are kept for').amount.value, limit('Files are kept for').unit!.value]).toEqual([
      '15',
      'minutes',
    ]);
    expect(limit('Download traffic').text()).toContain('per day');
    // The number's own name is its limit's (aria-labelledby the legend).
    const retention = limit('Files are kept for').amount;
    expect(element.querySelector(`#${retention.getAttribute('aria-labelledby')}`)!.textContent).toBe(
      'Files are kept for',
    );
  });

  it('sends only what changed, in the API’s units, and says it is saved', async () => {
    const { api, limit, save, element } = await render();
    api.updateGroup.mockImplementation(async (_name: string, changes: object) => ({
      name: 'anonymous',
      limits: { ...ANONYMOUS.limits, ...changes },
    }));
    type(limit('Files are kept for').amount, '1');
    type(limit('Download traffic').amount, '500');
    choose(limit('Download traffic').unit!, 'MB');
    const window = element.querySelector<HTMLSelectElement>('#anonymous-trafficWindow')!;
    choose(window, 'month');
    limit('Storage').unlimited.click();
    await save();

    expect(api.updateGroup).toHaveBeenCalledWith('anonymous', {
      retentionSeconds: 60,
      trafficBytes: 500_000_000,
      trafficWindow: 'month',
      storageBytes: null,
    });
    expect(limit('Storage').amount.disabled).toBe(true);
    expect(element.querySelector('[role="status"]')!.textContent).toBe(
      'The limits of Anonymous (no account) are saved.',
    );

    // Saved: nothing is left to send.
    await save();
    expect(api.updateGroup).toHaveBeenCalledTimes(1);
    expect(element.querySelector('[role="status"]')!.textContent).toBe('Nothing was changed.');
  });

  it('gives a traffic limit its window, and leaves the window to the server when the limit goes', async () => {
    const admin: GroupView = {
      name: 'admin',
      limits: {
        downloadBytesPerSecond: null,
        maxFileBytes: null,
        storageBytes: null,
        trafficBytes: null,
        trafficWindow: null,
        retentionSeconds: null,
      },
    };
    const { api, limit, save, element } = await render(admin);
    api.updateGroup.mockImplementation(async (_name: string, changes: object) => ({
      name: 'admin',
      limits: { ...admin.limits, ...changes },
    }));
    const window = element.querySelector<HTMLSelectElement>('#admin-trafficWindow')!;
    expect(window.disabled).toBe(true);
    limit('Download traffic').unlimited.click();
    type(limit('Download traffic').amount, '50');
    await save();
    expect(api.updateGroup).toHaveBeenLastCalledWith('admin', { trafficBytes: 50e9, trafficWindow: 'day' });

    limit('Download traffic').unlimited.click();
    await save();
    expect(api.updateGroup).toHaveBeenLastCalledWith('admin', { trafficBytes: null });
  });

  it('refuses a retention under a minute before sending anything, at the field, and focuses it', async () => {
    const { api, fixture, limit, save } = await render();
    type(limit('Files are kept for').amount, '0.5');
    await save();
    expect(api.updateGroup).not.toHaveBeenCalled();
    expect(limit('Files are kept for').problem()).toBe('Enter an amount from 1 to 5256000 minutes.');
    expect(limit('Files are kept for').amount.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(limit('Files are kept for').amount);

    // Typing again clears the problem.
    type(limit('Files are kept for').amount, '2');
    await settle(fixture);
    expect(limit('Files are kept for').problem()).toBeNull();
    expect(limit('Files are kept for').amount.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows the server’s refusal of a field at that field', async () => {
    const { api, limit, save, element } = await render();
    api.updateGroup.mockRejectedValue(
      new ApiError(400, 'VALIDATION_FAILED', 'storageBytes too large', { field: 'limits.storageBytes' }),
    );
    type(limit('Storage').amount, '3');
    await save();
    expect(limit('Storage').problem()).toBe('Enter an amount above 0 and up to 10000000 GB.');
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('Some of what was entered is not valid');
  });
});
