import { type ApplicationConfig, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { useUnitTexts } from '@lexy/client-api';
import { routes } from './app.routes';
import { LOCALIZED_UNIT_TEXTS } from '@lexy/client-state';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // Sizes and durations are said through i18n everywhere, error sentences included.
    provideAppInitializer(() => useUnitTexts(LOCALIZED_UNIT_TEXTS)),
  ],
};
