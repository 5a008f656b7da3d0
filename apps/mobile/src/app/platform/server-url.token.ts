import { InjectionToken } from '@angular/core';

/** The server chosen in the settings, or null on a phone that has not been given one yet. */
export const SERVER_URL = new InjectionToken<string | null>('SERVER_URL', { providedIn: 'root', factory: () => null });
