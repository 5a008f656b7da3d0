import type { Routes } from '@angular/router';
import { adminOnly } from './core/admin.guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./send/send-page').then((m) => m.SendPage) },
  { path: 'pickup', loadComponent: () => import('./pickup/pickup-page').then((m) => m.PickupPage) },
  // Share links: `${PUBLIC_URL}/p/<code>?t=<token>` (docs/api.md).
  { path: 'p/:code', loadComponent: () => import('./pickup/pickup-page').then((m) => m.PickupPage) },
  { path: 'login', loadComponent: () => import('./auth/login-page').then((m) => m.LoginPage) },
  { path: 'register', loadComponent: () => import('./auth/register-page').then((m) => m.RegisterPage) },
  { path: 'files', loadComponent: () => import('./files/files-page').then((m) => m.FilesPage) },
  { path: 'devices', loadComponent: () => import('./devices/devices-page').then((m) => m.DevicesPage) },
  { path: 'account', loadComponent: () => import('./account/account-page').then((m) => m.AccountPage) },
  // canMatch, not canActivate: a browser that is not an admin's never even loads the console's code.
  {
    path: 'admin',
    canMatch: [adminOnly],
    loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES),
  },
  { path: '**', redirectTo: '' },
];
