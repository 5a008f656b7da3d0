import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, createApiClient, type SessionResponse, type UserView } from '@lexy/client-api';
import { API_BASE_URL } from './api-base-url';
import { SESSION_PERSISTENCE, type StoredSession } from './session-persistence';

/** Refresh this long before the access token runs out, so a request never carries a stale one. */
const REFRESH_MARGIN_MS = 30_000;

/** An answer that means the session is over for good, not that a request failed. */
export function endsSession(error: ApiError): boolean {
  return error.status === 401 || error.code === 'ACCOUNT_DISABLED';
}

/**
 * The signed-in user and their tokens, kept where SESSION_PERSISTENCE says (localStorage in the
 * web app, so that tabs share one session; secure storage on a phone).
 * Tokens are refreshed silently before they expire; a refresh by another tab reaches this one
 * through the storage event, and the API's grace window covers two tabs refreshing at once.
 * Only an ended session signs out: a refresh that fails for want of a network keeps it.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly persistence = inject(SESSION_PERSISTENCE);
  private readonly session = signal<StoredSession | null>(null);
  private refreshing: Promise<string | null> | null = null;
  /** Auth calls go without a bearer token of their own, so this store never asks itself for one. */
  private readonly authApi = createApiClient({ baseUrl: inject(API_BASE_URL) });
  /** Settles once the stored session has been read (at once from web storage). */
  readonly ready: Promise<void>;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly signedIn = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.user()?.group === 'admin');
  /**
   * Why the server ended this tab's session (ACCOUNT_DISABLED, SESSION_REVOKED…), so that the
   * sign-in page can say so; null after a sign-out of one's own and once signed in again.
   */
  readonly endedBecause = signal<ApiError['code'] | null>(null);

  constructor() {
    const stored = this.persistence.read();
    if (stored instanceof Promise) {
      this.ready = stored.then(
        (session) => this.session.update((current) => current ?? session),
        () => undefined,
      );
    } else {
      this.session.set(stored);
      this.ready = Promise.resolve();
    }
    this.persistence.watch?.(() => void this.reload());
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
    await this.ready;
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
    const stored = await this.persistence.read();
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

  private async reload(): Promise<void> {
    this.session.set(await this.persistence.read());
  }

  private save(session: StoredSession | null): void {
    this.session.set(session);
    void this.persistence.write(session);
  }
}
