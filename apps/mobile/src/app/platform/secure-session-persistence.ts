import { Capacitor } from '@capacitor/core';
import { SecureStorage } from '@aparajita/capacitor-secure-storage';
import type { SessionPersistence, StoredSession } from '@lexy/client-state';

const KEY = 'lexy.session';

/** The part of the secure-storage plugin this needs, so that tests can stand in for it. */
export interface SecretStore {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/**
 * The session's tokens in the device's secure storage: the iOS Keychain, the Android Keystore.
 * The plugin's web fallback is localStorage, which the tokens must never reach; in a browser
 * (the web build of this app) the session is therefore kept in memory only, for this visit.
 */
export function secureSessionPersistence(
  store: SecretStore | null = Capacitor.isNativePlatform() ? SecureStorage : null,
): SessionPersistence {
  let inMemory: StoredSession | null = null;
  return {
    async read() {
      if (!store) return inMemory;
      try {
        const text = await store.getItem(KEY);
        return text ? (JSON.parse(text) as StoredSession) : null;
      } catch {
        return null;
      }
    },
    async write(session) {
      inMemory = session;
      if (!store) return;
      if (session) await store.setItem(KEY, JSON.stringify(session));
      else await store.removeItem(KEY);
    },
  };
}
