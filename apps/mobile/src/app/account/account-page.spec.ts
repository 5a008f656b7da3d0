import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular';
import { ApiError, type MeResponse } from '@lexy/client-api';
import { API_CLIENT, SessionStore } from '@lexy/client-state';
import { AccountPage } from './account-page';
import { accountMeters } from './account-meters';

const user = {
  id: 'u1',
  email: 'ada@example.test',
  displayName: 'Ada',
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
    usage: { storageBytes: 2_000_000_000, reservedBytes: 500_000_000, trafficBytes: 250_000_000 },
  },
};

async function render(api: Record<string, unknown>, signedIn: boolean) {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [provideIonicAngular({}), provideRouter([]), { provide: API_CLIENT, useValue: api }],
  });
  const session = TestBed.inject(SessionStore);
  if (signedIn) session.start({ user, accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 });
  const fixture = TestBed.createComponent(AccountPage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { fixture, element, byTestId, session };
}

describe('AccountPage', () => {
  it('offers a visitor to sign in or register, and asks the API nothing', async () => {
    const me = vi.fn();
    const { byTestId } = await render({ me }, false);
    expect(byTestId('to-sign-in')!.textContent!.trim()).toBe('Sign in');
    expect(byTestId('to-register')!.textContent!.trim()).toBe('Create an account');
    expect(byTestId('open-settings')).not.toBeNull();
    expect(byTestId('sign-out')).toBeNull();
    expect(me).not.toHaveBeenCalled();
  });

  it('shows the user, their group and meters of what they use', async () => {
    const { byTestId } = await render({ me: vi.fn(async () => normal) }, true);
    expect(byTestId('account-email')!.textContent).toBe('ada@example.test');
    expect(byTestId('account-group')!.textContent).toBe('Normal');

    const storage = byTestId('meter-storage')!;
    expect(storage.textContent).toContain('2.5 GB of 10 GB');
    const bar = storage.querySelector('ion-progress-bar') as HTMLElement & { value: number };
    expect(bar.value).toBe(0.25);
    expect(bar.getAttribute('aria-valuetext')).toBe('2.5 GB of 10 GB');
    expect(document.getElementById(bar.getAttribute('aria-labelledby')!)!.textContent).toBe('Storage');

    expect(byTestId('meter-traffic')!.textContent).toContain('Downloads today');
    expect(byTestId('meter-traffic')!.textContent).toContain('250 MB of 5 GB');
    expect(byTestId('meter-max-file')!.textContent).toContain('2 GB');
    expect(byTestId('meter-retention')!.textContent).toContain('6 h');
  });

  it('signs out, and shows the visitor’s view again', async () => {
    const logout = vi.fn(async () => undefined);
    const { byTestId, fixture, session } = await render({ me: vi.fn(async () => normal), logout }, true);
    byTestId('sign-out')!.click();
    await fixture.whenStable();
    expect(session.signedIn()).toBe(false);
    expect(byTestId('to-sign-in')).not.toBeNull();
    expect(byTestId('meter-storage')).toBeNull();
  });

  it('shows a failure in plain words', async () => {
    const { element } = await render(
      { me: vi.fn().mockRejectedValue(new ApiError(503, 'SERVICE_UNAVAILABLE', '', {}, 5)) },
      true,
    );
    expect(element.querySelector('[role="alert"]')!.textContent).toContain(
      'The service is unavailable right now; try again in 5 s.',
    );
  });
});

describe('accountMeters', () => {
  it('counts a month’s traffic for a monthly group, and shows no bar where nothing is limited', () => {
    const vip: MeResponse = {
      ...normal,
      quota: {
        limits: { ...normal.quota.limits, trafficBytes: 500e9, trafficWindow: 'month', storageBytes: null },
        usage: normal.quota.usage,
      },
    };
    const meters = Object.fromEntries(accountMeters(vip).map((meter) => [meter.id, meter]));
    expect(meters['traffic']).toMatchObject({
      label: 'Downloads this month',
      text: '250 MB of 500 GB',
      fraction: 0.0005,
    });
    expect(meters['storage']).toMatchObject({ text: '2.5 GB (no limit)', fraction: null });
  });
});
