import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { NavController, provideIonicAngular } from '@ionic/angular';
import { ApiError, type SessionResponse } from '@lexy/client-api';
import { API_CLIENT, SessionStore } from '@lexy/client-state';
import { LoginPage } from './login-page';
import { RegisterPage } from './register-page';

const session: SessionResponse = {
  user: { id: 'u1', email: 'ada@example.test', displayName: null, group: 'normal', createdAt: '2026-01-01T00:00:00Z' },
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresIn: 900,
};

/** A page of the two with the auth API faked at its boundary and the navigation watched. */
async function render<T>(page: new () => T, api: Record<string, unknown> = {}) {
  localStorage.clear();
  const nav = { navigateRoot: vi.fn(async () => true) };
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter([]),
      { provide: API_CLIENT, useValue: api },
      { provide: NavController, useValue: nav },
    ],
  });
  const fixture = TestBed.createComponent(page);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  /** Types into an ion-input as Ionic reports it: an ionInput event with the new value. */
  const type = (testId: string, value: string) =>
    element
      .querySelector(`[data-testid="${testId}"]`)!
      .dispatchEvent(new CustomEvent('ionInput', { detail: { value } }));
  const submit = async () => {
    element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await fixture.whenStable();
  };
  return { fixture, element, nav, type, submit };
}

describe('LoginPage', () => {
  it('signs in with what was typed and goes home', async () => {
    const login = vi.fn(async () => session);
    const { nav, type, submit } = await render(LoginPage, { login });
    type('email', '  ada@example.test ');
    type('password', 'correct horse');
    await submit();

    expect(login).toHaveBeenCalledWith({ email: 'ada@example.test', password: 'correct horse' });
    expect(TestBed.inject(SessionStore).user()?.email).toBe('ada@example.test');
    expect(nav.navigateRoot).toHaveBeenCalledWith('/home');
  });

  it('shows the error envelope in plain words as an alert, and stays', async () => {
    const login = vi.fn().mockRejectedValue(new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid credentials'));
    const { element, nav, type, submit } = await render(LoginPage, { login });
    type('email', 'ada@example.test');
    type('password', 'wrong');
    await submit();

    expect(element.querySelector('[role="alert"]')!.textContent!.trim()).toBe('The email or password is not right.');
    expect(nav.navigateRoot).not.toHaveBeenCalled();
    expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
  });

  it('says why the server signed this app out', async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideIonicAngular({}), provideRouter([])] });
    const store = TestBed.inject(SessionStore);
    store.start(session);
    store.end('ACCOUNT_DISABLED');
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="session-ended"]')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'You were signed out. This account has been disabled. Contact the administrator.',
    );
  });

  it('says nothing of the kind to someone who simply came to sign in, and links to registration', async () => {
    const { element } = await render(LoginPage);
    expect(element.querySelector('[role="alert"]')).toBeNull();
    expect(element.querySelector('a[data-testid="to-register"]')!.getAttribute('href')).toBe('/register');
    expect(element.querySelector('[data-testid="sign-in"]')!.textContent!.trim()).toBe('Sign in');
  });
});

describe('RegisterPage', () => {
  it('creates the account with the optional display name and goes home', async () => {
    const register = vi.fn(async () => session);
    const { nav, type, submit, element } = await render(RegisterPage, { register });
    expect(element.querySelector('[data-testid="register"]')).not.toBeNull();
    type('display-name', 'Ada');
    type('email', 'ada@example.test');
    type('password', 'correct horse battery');
    await submit();

    expect(register).toHaveBeenCalledWith({
      email: 'ada@example.test',
      password: 'correct horse battery',
      displayName: 'Ada',
    });
    expect(nav.navigateRoot).toHaveBeenCalledWith('/home');
  });

  it('shows a taken email as an alert, and links to signing in', async () => {
    const register = vi.fn().mockRejectedValue(new ApiError(409, 'EMAIL_TAKEN', 'Email taken'));
    const { element, nav, type, submit } = await render(RegisterPage, { register });
    type('email', 'ada@example.test');
    type('password', 'correct horse battery');
    await submit();

    expect(register).toHaveBeenCalledWith({ email: 'ada@example.test', password: 'correct horse battery' });
    expect(element.querySelector('[role="alert"]')!.textContent!.trim()).toBe(
      'An account with this email already exists. Sign in instead.',
    );
    expect(nav.navigateRoot).not.toHaveBeenCalled();
    expect(element.querySelector('a[data-testid="to-login"]')!.getAttribute('href')).toBe('/login');
  });
});
