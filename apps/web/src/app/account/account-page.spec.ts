import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiError, type ApiClient, type MeResponse } from '@lexy/client-api';
import { API_CLIENT, SessionStore } from '@lexy/client-state';
import { AccountPage } from './account-page';
import { trafficUsage } from './account-view';

const user = {
  id: 'u1',
  email: 'ada@example.test',
  displayName: null,
  group: 'normal' as const,
  createdAt: '2026-01-15T10:00:00Z',
};
const normal: MeResponse = {
  user,
  quota: {
    limits: {
      downloadBytesPerSecond: 8_000_000,
      maxFileBytes: 2_000_000_000,
      storageBytes: 10_000_000_000,
      trafficBytes: 5_000_000_000,
      trafficWindow: 'day',
      retentionSeconds: 6 * 3600,
    },
    usage: { storageBytes: 1_200_000_000, reservedBytes: 0, trafficBytes: 250_000_000 },
  },
};

async function render(me: ApiClient['me'] | null) {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [provideRouter([]), { provide: API_CLIENT, useValue: { me } }],
  });
  if (me) {
    TestBed.inject(SessionStore).start({ user, accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 });
  }
  const fixture = TestBed.createComponent(AccountPage);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

/** The definition list's terms and their values, as a person reads them. */
function facts(element: HTMLElement, sectionId: string): Record<string, string> {
  const list = element.querySelector(`section[aria-labelledby="${sectionId}"] dl`)!;
  const terms = [...list.querySelectorAll('dt')];
  return Object.fromEntries(terms.map((dt) => [dt.textContent!.trim(), dt.nextElementSibling!.textContent!.trim()]));
}

function meter(element: HTMLElement, name: string): HTMLMeterElement {
  const label = [...element.querySelectorAll('label')].find((l) => l.textContent!.trim() === name);
  expect(label).toBeDefined();
  return element.querySelector<HTMLMeterElement>(`#${label!.htmlFor}`)!;
}

describe('AccountPage', () => {
  it('tells a visitor to sign in, and asks the API nothing', async () => {
    const me = vi.fn();
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: API_CLIENT, useValue: { me } }] });
    const fixture = TestBed.createComponent(AccountPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')!.textContent).toBe('Account');
    expect(element.querySelector('a[href="/login"]')!.textContent).toBe('sign in');
    expect(me).not.toHaveBeenCalled();
  });

  it('shows who is signed in, the group in words and its limits in human units', async () => {
    const element = await render(vi.fn().mockResolvedValue(normal));

    expect(facts(element, 'account-you')).toMatchObject({
      Email: 'ada@example.test',
      'Display name': 'Not set',
      Group: 'Normal',
      'Member since': 'January 15, 2026',
    });
    expect(facts(element, 'account-limits')).toEqual({
      'Download speed': '8 MB/s',
      'Largest file': '2 GB',
      Storage: '10 GB',
      'Download traffic': '5 GB per day',
      'Files are kept for': '6 h',
    });
  });

  it('measures storage and today’s traffic, with their words and the reset', async () => {
    const element = await render(vi.fn().mockResolvedValue(normal));

    const storage = meter(element, 'Storage used');
    expect(storage.value).toBe(1_200_000_000);
    expect(storage.max).toBe(10_000_000_000);
    expect(storage.getAttribute('aria-valuetext')).toBe('1.2 GB of 10 GB');
    const traffic = meter(element, 'Downloads today');
    expect(traffic.getAttribute('aria-valuetext')).toBe('250 MB of 5 GB');
    expect(element.textContent).toContain('Resets at midnight UTC');
  });

  it('calls a group without limits unlimited, and shows its usage without a meter', async () => {
    const admin: MeResponse = {
      user: { ...user, group: 'admin', displayName: 'Ada' },
      quota: {
        limits: {
          downloadBytesPerSecond: null,
          maxFileBytes: null,
          storageBytes: null,
          trafficBytes: null,
          trafficWindow: null,
          retentionSeconds: null,
        },
        usage: { storageBytes: 4_000, reservedBytes: 1_000, trafficBytes: 0 },
      },
    };
    const element = await render(vi.fn().mockResolvedValue(admin));

    expect(facts(element, 'account-you')).toMatchObject({ 'Display name': 'Ada', Group: 'Administrator' });
    expect(new Set(Object.values(facts(element, 'account-limits')))).toEqual(new Set(['Unlimited']));
    expect(element.querySelector('meter')).toBeNull();
    expect(element.textContent).toContain('5 KB (no limit)');
  });

  it('shows a failure in plain words', async () => {
    const element = await render(vi.fn().mockRejectedValue(new ApiError(503, 'SERVICE_UNAVAILABLE', '', {}, 5)));
    expect(element.querySelector('[role="alert"]')!.textContent).toContain(
      'The service is unavailable right now; try again in 5 s.',
    );
  });
});

describe('trafficUsage', () => {
  it('counts this month’s traffic for a monthly group, resetting on the 1st', () => {
    const vip: MeResponse = {
      ...normal,
      quota: { ...normal.quota, limits: { ...normal.quota.limits, trafficBytes: 500e9, trafficWindow: 'month' } },
    };
    const usage = trafficUsage(vip, new Date('2026-05-20T08:00:00Z'));
    expect(usage.label).toBe('Downloads this month');
    expect(usage.text).toBe('250 MB of 500 GB');
    expect(usage.resets).toBe('Resets at midnight UTC on the 1st of the month');
    expect(usage.resetsAt.toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });
});
