import { InjectionToken } from '@angular/core';

/**
 * The gateway's origin. The web app is served by the gateway, so it is the page's own origin;
 * the mobile app provides the server its user chose in the settings.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => globalThis.location?.origin ?? '',
});
