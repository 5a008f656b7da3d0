import { InjectionToken } from '@angular/core';
import type { DevicePlatform } from '@lexy/client-api';
import { deviceNameFrom } from './device-name';

/** How this client introduces itself when it registers as one of the account's devices. */
export interface DeviceIdentity {
  name: string;
  platform: DevicePlatform;
}

/**
 * Asked when this client registers itself. A browser is "web", named after its user agent; the
 * mobile app says "android" or "ios" and names the phone.
 */
export const DEVICE_IDENTITY = new InjectionToken<() => DeviceIdentity>('DEVICE_IDENTITY', {
  providedIn: 'root',
  factory: () => () => ({ name: deviceNameFrom(globalThis.navigator?.userAgent ?? ''), platform: 'web' }),
});
