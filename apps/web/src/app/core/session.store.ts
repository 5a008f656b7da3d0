import { Injectable, computed, signal } from '@angular/core';
import { ApiError, createApiClient, type SessionResponse, type UserView } from '@lexy/client-api';

const STORAGE_KEY = 'lexy.session';
/** Refresh this long before the access token runs out, so a request never carries a stale one. */
const REFRESH_MARGIN_MS = 30_000;

interface StoredSession {
  user: UserView;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

/** An answer that means the session is over for good, not that a request failed. */
export function endsSession(error: ApiError): boolean {
  return error.status === 401 || error.code === 'ACCOUNT_DISABLED';
}

function readStored(): StoredSession | null {
  try {
    const text = globalThis.localStorage?.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as StoredSession) : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in user and their tokens, kept in localStorage so that tabs share one session.
 * Tokens are refreshed silently before they expire; a refresh by another tab reaches this one
 * through the storage event, and the API's grace window covers two tabs refreshing at once.
 * Only an ended session signs out: a refresh that fails for want of a network keeps it.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly session = signal<StoredSession | null>(readStored());
  private refreshing: Promise<string | null> | null = null;
  /** Auth calls go without a bearer token of their own, so this store never asks itself for one. */
  private readonly authApi = createApiClient({ baseUrl: globalThis.location?.origin ?? '' });

  readonly user = computed(() => this.session()?.user ?? null);
  readonly signedIn = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.user()?.group === 'admin');
  /**
   * Why the server ended this tab's session (ACCOUNT_DISABLED, SESSION_REVOKED…), so that the
   * sign-in page can say so; null after a sign-out of one's own and once signed in again.
   */
  readonly endedBecause = signal<ApiError['code'] | null>(null);

  constructor() {
    globalThis.addEventListener?.('storage', (event) => {
      if (event.key === STORAGE_KEY) this.session.set(readStored());
    });
  }

  start(response: SessionResponse): void {
    this.endedBecause.set(null);
    this.save({
      user: response.user,
      accessToken: response.accessToken,
      refreshToken: response.refreshToken,
      expiresAt: Date.now() + response.expiresIn * 1000,
    });
  }

  /** The access token to send, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const current = this.session();
    if (!current) return null;
    if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
    this.refreshing ??= this.refresh(current).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The account as the server tells it now (a new group, say), keeping the tokens. */
  updateUser(user: UserView): void {
    const current = this.session();
    if (!current || current.user.id !== user.id || JSON.stringify(current.user) === JSON.stringify(user)) return;
    this.save({ ...current, user });
  }

  /** The server has ended the session (the account disabled, the session revoked): forget it here. */
  end(reason: ApiError['code']): void {
    if (!this.session()) return;
    this.endedBecause.set(reason);
    this.save(null);
  }

  async signOut(): Promise<void> {
    const current = this.session();
    this.save(null);
    if (current) await this.authApi.logout(current.refreshToken).catch(() => undefined);
  }

  private async refresh(current: StoredSession, retried = false): Promise<string | null> {
    // Another tab may have refreshed already: its tokens are in storage.
    const stored = readStored();
    if (stored && stored.refreshToken !== current.refreshToken && stored.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
      this.session.set(stored);
      return stored.accessToken;
    }
    try {
      const response = await this.authApi.refresh(current.refreshToken);
      this.start(response);
      return response.accessToken;
    } catch (error) {
      if (!(error instanceof ApiError)) return current.accessToken;
      // Another tab is refreshing this very token: its new pair lands in storage in a moment.
      if (error.code === 'REFRESH_IN_PROGRESS' && !retried) {
        await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 1) * 1000));
        return this.refresh(current, true);
      }
      // The session is over (reused, revoked, expired, the account disabled): sign out here, as everywhere.
      if (endsSession(error)) {
        this.end(error.code);
        return null;
      }
      // Offline, or the service is down: keep the session; the next request tries again.
      return current.accessToken;
    }
  }

  private save(session: StoredSession | null): void {
    this.session.set(session);
    if (session) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(session));
    else globalThis.localStorage?.removeItem(STORAGE_KEY);
  }
}
