import { Injectable, inject, signal } from '@angular/core';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';
import { SessionStore } from './session.store';

export interface Credentials {
  email: string;
  password: string;
}

/** What creating an account takes: the credentials, and a name to be shown by if the person gives one. */
export interface Registration extends Credentials {
  displayName?: string;
}

/** Signing in and creating an account; the session itself lives in SessionStore. */
@Injectable({ providedIn: 'root' })
export class AccountService {
  private readonly api = inject(API_CLIENT);
  private readonly session = inject(SessionStore);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);

  signIn(credentials: Credentials): Promise<boolean> {
    return this.run(() => this.api.login(credentials));
  }

  register({ displayName, ...credentials }: Registration): Promise<boolean> {
    // A blank name is no name: the server would keep it as an empty string.
    const name = displayName?.trim();
    return this.run(() => this.api.register(name ? { ...credentials, displayName: name } : credentials));
  }

  private async run(call: () => ReturnType<typeof this.api.login>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.session.start(await call());
      return true;
    } catch (error) {
      this.error.set(describeErrorLocalized(error));
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
