import type { Routes } from '@angular/router';
import { AdminShell } from './admin-shell';

/**
 * The admin console, loaded only behind the `adminOnly` guard (app.routes.ts). Each page is a
 * chunk of its own, so the charts' library comes only with the overview.
 */
export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: AdminShell,
    children: [
      {
        path: '',
        pathMatch: 'full',
        loadComponent: () => import('./overview/overview-page').then((m) => m.OverviewPage),
      },
      { path: 'users', loadComponent: () => import('./users/users-page').then((m) => m.UsersPage) },
      { path: 'files', loadComponent: () => import('./files/admin-files-page').then((m) => m.AdminFilesPage) },
      { path: 'groups', loadComponent: () => import('./groups/groups-page').then((m) => m.GroupsPage) },
      { path: 'audit', loadComponent: () => import('./audit/audit-page').then((m) => m.AuditPage) },
    ],
  },
];
