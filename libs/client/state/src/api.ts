import { InjectionToken, inject } from '@angular/core';
import { createApiClient, type ApiClient } from '@lexy/client-api';
import { API_BASE_URL } from './api-base-url';
import { SessionStore } from './session.store';

/** The gateway's typed client, carrying the session's access token. */
export const API_CLIENT = new InjectionToken<ApiClient>('API_CLIENT', {
  providedIn: 'root',
  factory: () => {
    const session = inject(SessionStore);
    return createApiClient({ baseUrl: inject(API_BASE_URL), accessToken: () => session.accessToken() });
  },
});
