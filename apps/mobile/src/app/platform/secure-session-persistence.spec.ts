import type { StoredSession } from '@lexy/client-state';
import { secureSessionPersistence, type SecretStore } from './secure-session-persistence';

const session: StoredSession = {
  user: { id: 'u1', email: 'a@b.c', displayName: null, group: 'normal', createdAt: '2026-01-01T00:00:00Z' } as never,
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresAt: 1,
};

describe('secureSessionPersistence', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the tokens in the secure store on a phone, and nothing in web storage', async () => {
    const items = new Map<string, string>();
    const store: SecretStore = {
      getItem: async (key) => items.get(key) ?? null,
      setItem: async (key, value) => void items.set(key, value),
      removeItem: async (key) => void items.delete(key),
    };
    const persistence = secureSessionPersistence(store);
    await persistence.write(session);
    expect(await secureSessionPersistence(store).read()).toEqual(session);
    expect(localStorage.length).toBe(0);
    await persistence.write(null);
    expect(items.size).toBe(0);
  });

  it('keeps them in memory only in a browser', async () => {
    const persistence = secureSessionPersistence(null);
    await persistence.write(session);
    expect(await persistence.read()).toEqual(session);
    expect(await secureSessionPersistence(null).read()).toBeNull();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });
});
