import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, type Routes } from '@angular/router';
import type { UserView } from '@lexy/client-api';
import { adminOnly } from './admin.guard';
import { SessionStore } from '@lexy/client-state';

@Component({ template: '' })
class Blank {}

const user = (group: UserView['group']): UserView => ({
  id: 'u1',
  email: 'a@b.c',
  displayName: null,
  group,
  createdAt: '2026-01-01T00:00:00Z',
});

/** Navigates to /admin as `group` (null: signed out); where it ends, and whether the console was loaded. */
async function visitAdmin(group: UserView['group'] | null) {
  localStorage.clear();
  const loadConsole = vi.fn(async () => [{ path: '', component: Blank }]);
  const routes: Routes = [
    { path: '', pathMatch: 'full', component: Blank },
    { path: 'login', component: Blank },
    { path: 'admin', canMatch: [adminOnly], loadChildren: loadConsole },
  ];
  TestBed.configureTestingModule({ providers: [provideRouter(routes)] });
  if (group) {
    TestBed.inject(SessionStore).start({ user: user(group), accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  }
  const router = TestBed.inject(Router);
  await router.navigateByUrl('/admin');
  return { url: router.url, loaded: loadConsole.mock.calls.length > 0 };
}

describe('adminOnly', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('lets an administrator into the console', async () => {
    expect(await visitAdmin('admin')).toEqual({ url: '/admin', loaded: true });
  });

  it('sends anyone else home and a visitor to sign in, without loading the console', async () => {
    expect(await visitAdmin('vip')).toEqual({ url: '/', loaded: false });
    TestBed.resetTestingModule();
    expect(await visitAdmin(null)).toEqual({ url: '/login', loaded: false });
  });
});
