import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { SessionStore } from '@lexy/client-state';

function linkNames(element: HTMLElement): string[] {
  return [...element.querySelectorAll('nav[aria-label="Main"] a')].map((link) => link.textContent!.trim());
}

describe('App header', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('offers Send, Pick up and Sign in to a visitor, in one main landmark', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(linkNames(element)).toEqual(['Send', 'Pick up', 'Sign in']);
    expect(element.querySelectorAll('main')).toHaveLength(1);
  });

  it('offers the admin console to an administrator only', async () => {
    TestBed.inject(SessionStore).start({
      user: { id: 'u1', email: 'a@b.c', displayName: null, group: 'admin', createdAt: '2026-01-01T00:00:00Z' },
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
    });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    expect(linkNames(fixture.nativeElement)).toEqual([
      'Send',
      'Pick up',
      'My files',
      'My devices',
      'Account',
      'Admin',
      'Sign out',
    ]);
    expect((fixture.nativeElement as HTMLElement).querySelector('a[href="/admin"]')).not.toBeNull();
  });

  it('offers My files, My devices, Account and Sign out once signed in', async () => {
    TestBed.inject(SessionStore).start({
      user: { id: 'u1', email: 'a@b.c', displayName: null, group: 'normal', createdAt: '2026-01-01T00:00:00Z' },
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: 900,
    });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    expect(linkNames(fixture.nativeElement)).toEqual([
      'Send',
      'Pick up',
      'My files',
      'My devices',
      'Account',
      'Sign out',
    ]);
  });
});
