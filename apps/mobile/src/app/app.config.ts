import { type ApplicationConfig, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { IonicRouteStrategy, provideIonicAngular } from '@ionic/angular';
import { RouteReuseStrategy } from '@angular/router';
import { useUnitTexts } from '@lexy/client-api';
import {
  API_BASE_URL,
  DEVICE_IDENTITY,
  FileSaver,
  LOCALIZED_UNIT_TEXTS,
  SESSION_PERSISTENCE,
} from '@lexy/client-state';
import { routes } from './app.routes';
import { currentPhoneIdentity } from './platform/device-identity';
import { DeviceFileSaver } from './platform/device-file-saver';
import { secureSessionPersistence } from './platform/secure-session-persistence';
import { SERVER_URL } from './platform/server-url.token';

/** The app's providers for the server the person chose (null until they have chosen one). */
export function appConfig(serverUrl: string | null): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideIonicAngular({}),
      { provide: RouteReuseStrategy, useClass: IonicRouteStrategy },
      provideRouter(routes, withComponentInputBinding()),
      { provide: SERVER_URL, useValue: serverUrl },
      { provide: API_BASE_URL, useValue: serverUrl ?? '' },
      { provide: SESSION_PERSISTENCE, useFactory: () => secureSessionPersistence() },
      { provide: FileSaver, useClass: DeviceFileSaver },
      // This phone registers as one of the account's devices as "android"/"ios", named after its model.
      { provide: DEVICE_IDENTITY, useValue: currentPhoneIdentity },
      provideAppInitializer(() => useUnitTexts(LOCALIZED_UNIT_TEXTS)),
    ],
  };
}
