import { InjectionToken, inject } from '@angular/core';
import { createApiClient, type ApiClient } from '@lexy/client-api';
import { SessionStore } from './session.store';

/** The gateway's typed client; the web app is served by the gateway, so the base URL is its own origin. */
export const API_CLIENT = new InjectionToken<ApiClient>('API_CLIENT', {
  providedIn: 'root',
  factory: () => {
    const session = inject(SessionStore);
    return createApiClient({ baseUrl: globalThis.location?.origin ?? '', accessToken: () => session.accessToken() });
  },
});
