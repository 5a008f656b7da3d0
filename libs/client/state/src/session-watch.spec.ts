import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { ApiError, type MeResponse, type UserView } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { SessionStore } from './session.store';
import { SESSION_CHECK_INTERVAL_MS, SessionWatch } from './session-watch';

const USER: UserView = {
  id: 'u1',
  email: 'a@b.c',
  displayName: null,
  group: 'normal',
  createdAt: '2026-01-01T00:00:00Z',
};
const meOf = (user: UserView) => ({ user, quota: {} }) as unknown as MeResponse;

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A signed-in page with the watch running and /auth/me answered by `me`. */
function watching(me: () => Promise<MeResponse>) {
  localStorage.clear();
  const api = { me: vi.fn(me), logout: vi.fn() };
  TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: API_CLIENT, useValue: api }] });
  const session = TestBed.inject(SessionStore);
  session.start({ user: USER, accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 });
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const watch = TestBed.inject(SessionWatch);
  TestBed.tick();
  return { api, session, navigate, watch };
}

describe('SessionWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    setVisibility('visible');
    vi.useRealTimers();
  });

  it('signs a disabled account’s open page out within one interval and leads to the sign-in page', async () => {
    const { api, session, navigate } = watching(async () => meOf(USER));
    await vi.advanceTimersByTimeAsync(SESSION_CHECK_INTERVAL_MS);
    expect(api.me).toHaveBeenCalledTimes(1);
    expect(session.signedIn()).toBe(true);

    api.me.mockRejectedValue(new ApiError(403, 'ACCOUNT_DISABLED', 'disabled'));
    await vi.advanceTimersByTimeAsync(SESSION_CHECK_INTERVAL_MS);
    TestBed.tick();
    expect(session.signedIn()).toBe(false);
    expect(session.endedBecause()).toBe('ACCOUNT_DISABLED');
    expect(localStorage.getItem('lexy.session')).toBeNull();
    expect(navigate).toHaveBeenCalledWith('/login');
    // Signed out, it asks no more.
    await vi.advanceTimersByTimeAsync(3 * SESSION_CHECK_INTERVAL_MS);
    expect(api.me).toHaveBeenCalledTimes(2);
  });

  it('keeps the session through a failure that does not end it (offline, the service down)', async () => {
    const { session, navigate } = watching(() => Promise.reject(new ApiError(0, 'NETWORK_ERROR', '')));
    await vi.advanceTimersByTimeAsync(SESSION_CHECK_INTERVAL_MS);
    TestBed.tick();
    expect(session.signedIn()).toBe(true);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('takes the group the server now tells (a promotion shows without signing in again)', async () => {
    const { session } = watching(async () => meOf({ ...USER, group: 'vip' }));
    await vi.advanceTimersByTimeAsync(SESSION_CHECK_INTERVAL_MS);
    expect(session.user()?.group).toBe('vip');
    expect(JSON.parse(localStorage.getItem('lexy.session')!).user.group).toBe('vip');
    expect(JSON.parse(localStorage.getItem('lexy.session')!).accessToken).toBe('access');
  });

  it('asks at once when the page comes back into view, and not while it is hidden', async () => {
    const { api } = watching(async () => meOf(USER));
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(2 * SESSION_CHECK_INTERVAL_MS);
    expect(api.me).not.toHaveBeenCalled();

    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.me).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.me).toHaveBeenCalledTimes(2);
  });

  it('asks one question at a time however often it is asked to', async () => {
    let answer!: (me: MeResponse) => void;
    const { api, watch } = watching(() => new Promise((resolve) => (answer = resolve)));
    const checks = [watch.check(), watch.check(), watch.check()];
    expect(api.me).toHaveBeenCalledTimes(1);
    answer(meOf(USER));
    await Promise.all(checks);
  });
});
