import { Capacitor } from '@capacitor/core';
import { Preferences } from '@capacitor/preferences';

/** Where the chosen server is kept: not a secret, so Preferences (not secure storage) is enough. */
const KEY = 'lexy.serverUrl';

/**
 * The gateway this app talks to. A self-hoster enters theirs in the settings; until then the web
 * build (served by a gateway) uses its own origin, and the native app has none and asks for one.
 */
export async function loadServerUrl(): Promise<string | null> {
  const { value } = await Preferences.get({ key: KEY });
  if (value) return value;
  return Capacitor.isNativePlatform() ? null : (globalThis.location?.origin ?? null);
}

export async function saveServerUrl(url: string): Promise<void> {
  await Preferences.set({ key: KEY, value: normalizeServerUrl(url) });
}

/**
 * The origin a person meant, from what they typed: `files.example.org` → `https://files.example.org`.
 * Paths, queries and trailing slashes are dropped; the API lives at the origin's /api/v1.
 * Throws on anything that is not an http(s) address.
 */
export function normalizeServerUrl(typed: string): string {
  const text = typed.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('Only http and https servers');
  if (!url.hostname) throw new TypeError('No host name');
  return url.origin;
}
