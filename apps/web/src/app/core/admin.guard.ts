import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { SessionStore } from '@lexy/client-state';

/**
 * Lets only an administrator's session match the admin console's routes, so that nobody
 * else's browser fetches its code; a visitor is sent to sign in, anyone else home. It is the
 * browser's side only: every admin route of the API checks the caller again (403 ADMIN_REQUIRED).
 */
export const adminOnly: CanMatchFn = () => {
  const session = inject(SessionStore);
  if (session.isAdmin()) return true;
  return inject(Router).createUrlTree([session.signedIn() ? '/' : '/login']);
};
