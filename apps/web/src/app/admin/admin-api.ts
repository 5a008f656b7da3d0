import { Injectable, InjectionToken, inject } from '@angular/core';
import { createAdminApiClient, isApiError, type AdminApiClient } from '@lexy/client-api';
import { describeErrorLocalized, SessionStore, SessionWatch } from '@lexy/client-state';

/** The admin routes' client, created only once the console (a chunk of its own) is loaded. */
export const ADMIN_API = new InjectionToken<AdminApiClient>('ADMIN_API', {
  providedIn: 'root',
  factory: () => {
    const session = inject(SessionStore);
    return createAdminApiClient({
      baseUrl: globalThis.location?.origin ?? '',
      accessToken: () => session.accessToken(),
    });
  },
});

/** The console's failures in plain words. */
@Injectable({ providedIn: 'root' })
export class AdminErrors {
  private readonly watch = inject(SessionWatch);

  describe(error: unknown): string {
    // No longer an admin (demoted or disabled meanwhile): the session learns it from /auth/me,
    // which takes the console and its menu entry away.
    if (isApiError(error) && error.code === 'ADMIN_REQUIRED') void this.watch.check();
    return describeErrorLocalized(error);
  }
}
