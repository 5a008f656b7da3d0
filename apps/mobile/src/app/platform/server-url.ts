import { Capacitor } from '@capacitor/core';
import { Preferences } from '@capacitor/preferences';

/** Where the chosen server is kept: not a secret, so Preferences (not secure storage) is enough. */
const KEY = 'lexy.serverUrl';

/**
 * The gateway this app talks to: the one chosen in the settings; else the one the build names in
 * its `server.json` (a self-hoster may bake theirs in; the web build's server provides one);
 * else, in a browser, the page's own origin; on a phone without either, none, and the app asks.
 */
export async function loadServerUrl(): Promise<string | null> {
  const { value } = await Preferences.get({ key: KEY });
  if (value) return value;
  const bundled = await bundledServerUrl();
  if (bundled) return bundled;
  return Capacitor.isNativePlatform() ? null : (globalThis.location?.origin ?? null);
}

async function bundledServerUrl(): Promise<string | null> {
  try {
    const response = await fetch('server.json', { cache: 'no-cache' });
    if (!response.ok) return null;
    const { serverUrl } = (await response.json()) as { serverUrl?: unknown };
    return typeof serverUrl === 'string' ? normalizeServerUrl(serverUrl) : null;
  } catch {
    return null;
  }
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
