import { DestroyRef, Injectable, effect, inject, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { isApiError } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { SessionStore } from './session.store';

/** How often an open, visible page asks whether its session still holds. */
export const SESSION_CHECK_INTERVAL_MS = 10_000;

/**
 * Answers of GET /auth/me that end the session (docs/api.md: disabling a user ends their
 * sessions at once). Expired or missing tokens are the silent refresh's business, not this.
 */
const ENDED = new Set<string>(['ACCOUNT_DISABLED', 'SESSION_REVOKED', 'REFRESH_TOKEN_REUSED']);

/**
 * Keeps an open page's session honest: while signed in and visible it asks GET /auth/me every
 * ten seconds and at once when the page comes back into view, so that a disabled account's
 * page is signed out within seconds and a changed group (an admin's promotion) shows without
 * a new sign-in. A session that ended, here or in a refresh, leads to the sign-in page, which
 * says why.
 */
@Injectable({ providedIn: 'root' })
export class SessionWatch {
  private readonly api = inject(API_CLIENT);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private timer: ReturnType<typeof setInterval> | null = null;
  private checking: Promise<void> | null = null;

  constructor() {
    effect(() => {
      const signedIn = this.session.signedIn();
      untracked(() => (signedIn ? this.start() : this.stop()));
    });
    effect(() => {
      if (this.session.endedBecause()) untracked(() => void this.router.navigateByUrl('/login'));
    });
    const checkWhenSeen = () => void this.check();
    globalThis.document?.addEventListener('visibilitychange', checkWhenSeen);
    globalThis.addEventListener?.('focus', checkWhenSeen);
    inject(DestroyRef).onDestroy(() => {
      this.stop();
      globalThis.document?.removeEventListener('visibilitychange', checkWhenSeen);
      globalThis.removeEventListener?.('focus', checkWhenSeen);
    });
  }

  /** Asks the server now (one question at a time); a hidden page waits until it is seen again. */
  check(): Promise<void> {
    if (!this.session.signedIn() || globalThis.document?.visibilityState === 'hidden') return Promise.resolve();
    this.checking ??= this.ask().finally(() => (this.checking = null));
    return this.checking;
  }

  private async ask(): Promise<void> {
    try {
      const { user } = await this.api.me();
      this.session.updateUser(user);
    } catch (error) {
      // Anything else (offline, the service down) is asked again on the next tick.
      if (isApiError(error) && ENDED.has(error.code)) this.session.end(error.code);
    }
  }

  private start(): void {
    this.timer ??= setInterval(() => void this.check(), SESSION_CHECK_INTERVAL_MS);
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
