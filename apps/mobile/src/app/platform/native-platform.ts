import { InjectionToken, inject } from '@angular/core';
import { Capacitor } from '@capacitor/core';

/** The phone's platform, or null in a browser (the web build): the wrappers here pick their way by it. */
export type NativePlatform = 'android' | 'ios';

export const NATIVE_PLATFORM = new InjectionToken<NativePlatform | null>('NATIVE_PLATFORM', {
  providedIn: 'root',
  factory: () => (Capacitor.isNativePlatform() ? (Capacitor.getPlatform() as NativePlatform) : null),
});

/** Whether this is the app on a phone (true) or its web build in a browser (false); tests choose. */
export const IS_NATIVE = new InjectionToken<boolean>('IS_NATIVE', {
  providedIn: 'root',
  factory: () => inject(NATIVE_PLATFORM) !== null,
});
