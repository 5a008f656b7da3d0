import { inject } from '@angular/core';
import { Router, type Routes } from '@angular/router';
import { SERVER_URL } from './platform/server-url.token';

/** Without a server there is nothing to talk to: the settings come first. */
const serverChosen = () => inject(SERVER_URL) !== null || inject(Router).parseUrl('/settings');

export const routes: Routes = [
  {
    path: '',
    canActivate: [serverChosen],
    loadComponent: () => import('./tabs/tabs-page').then((m) => m.TabsPage),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'home' },
      { path: 'home', loadComponent: () => import('./home/home-page').then((m) => m.HomePage) },
      { path: 'pickup', loadComponent: () => import('./pickup/pickup-page').then((m) => m.PickupPage) },
      { path: 'files', loadComponent: () => import('./files/files-page').then((m) => m.FilesPage) },
      { path: 'devices', loadComponent: () => import('./devices/devices-page').then((m) => m.DevicesPage) },
      { path: 'account', loadComponent: () => import('./account/account-page').then((m) => m.AccountPage) },
    ],
  },
  // Share links open the pickup screen with the code filled in (`/p/<code>?t=<token>`, docs/api.md).
  {
    path: 'p/:code',
    redirectTo: ({ params, queryParams }) =>
      `/pickup?code=${params['code']}${queryParams['t'] ? `&t=${queryParams['t']}` : ''}`,
  },
  { path: 'login', loadComponent: () => import('./auth/login-page').then((m) => m.LoginPage) },
  { path: 'register', loadComponent: () => import('./auth/register-page').then((m) => m.RegisterPage) },
  { path: 'settings', loadComponent: () => import('./settings/settings-page').then((m) => m.SettingsPage) },
  { path: '**', redirectTo: 'home' },
];
