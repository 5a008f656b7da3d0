import { InjectionToken } from '@angular/core';
import { Capacitor } from '@capacitor/core';

/** Whether this is the app on a phone (true) or its web build in a browser (false); tests choose. */
export const IS_NATIVE = new InjectionToken<boolean>('IS_NATIVE', {
  providedIn: 'root',
  factory: () => Capacitor.isNativePlatform(),
});
