import { Capacitor } from '@capacitor/core';
import { deviceNameFrom, type DeviceIdentity } from '@lexy/client-state';

/**
 * How this app introduces itself as one of the account's devices: on a phone as "android" or
 * "ios", named after the model its web view's user agent gives ("Pixel 8"), or "iPhone"/"iPad"
 * (iOS names no model); the web build as a browser does.
 */
export function phoneIdentity(userAgent: string, platform: string): DeviceIdentity {
  if (platform === 'ios') return { name: /iPad/.test(userAgent) ? 'iPad' : 'iPhone', platform: 'ios' };
  if (platform === 'android') {
    // "…(Linux; Android 14; Pixel 8 Build/AP2A…; wv)…"; a reduced user agent says only "K".
    const model = /Android [\d.]+; ([^;)]+?)(?: Build\/[^;)]*)?[;)]/.exec(userAgent)?.[1]?.trim();
    return { name: model && model !== 'K' ? model : 'Android phone', platform: 'android' };
  }
  return { name: deviceNameFrom(userAgent), platform: 'web' };
}

/** This device's identity, as DEVICE_IDENTITY asks for it. */
export const currentPhoneIdentity = (): DeviceIdentity =>
  phoneIdentity(globalThis.navigator?.userAgent ?? '', Capacitor.getPlatform());
