import { InjectionToken } from '@angular/core';
import type { UserView } from '@lexy/client-api';

/** What a client keeps of a session between visits. */
export interface StoredSession {
  user: UserView;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

/**
 * Where the session is kept. The web app keeps it in localStorage, so that tabs share one
 * session; the mobile app keeps it in the device's secure storage (Keychain, Keystore), whose
 * reads are asynchronous — hence `read` may answer a promise.
 */
export interface SessionPersistence {
  read(): StoredSession | null | Promise<StoredSession | null>;
  write(session: StoredSession | null): void | Promise<void>;
  /** Calls back when another tab or window changed the stored session. */
  watch?(changed: () => void): void;
}

const STORAGE_KEY = 'lexy.session';

/** The web app's persistence: localStorage, whose storage event tells one tab of another's change. */
export const localStoragePersistence: SessionPersistence = {
  read() {
    try {
      const text = globalThis.localStorage?.getItem(STORAGE_KEY);
      return text ? (JSON.parse(text) as StoredSession) : null;
    } catch {
      return null;
    }
  },
  write(session) {
    if (session) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(session));
    else globalThis.localStorage?.removeItem(STORAGE_KEY);
  },
  watch(changed) {
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key === STORAGE_KEY) changed();
    });
  },
};

export const SESSION_PERSISTENCE = new InjectionToken<SessionPersistence>('SESSION_PERSISTENCE', {
  providedIn: 'root',
  factory: () => localStoragePersistence,
});
