import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '@lexy/client-state';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('says why the server signed this page out', async () => {
    const session = TestBed.inject(SessionStore);
    session.start({
      user: { id: 'u1', email: 'a@b.c', displayName: null, group: 'normal', createdAt: '2026-01-01T00:00:00Z' },
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
    });
    session.end('ACCOUNT_DISABLED');
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')!.textContent!.trim()).toBe(
      'You were signed out. This account has been disabled. Contact the administrator.',
    );
  });

  it('says nothing of the kind to someone who simply came to sign in', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')).toBeNull();
  });
});
