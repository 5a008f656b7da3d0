import { Injectable, inject, signal } from '@angular/core';
import type { MeResponse } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';

export interface MyAccountState {
  /** The account, its group's limits and what it uses; null until it has arrived. */
  me: MeResponse | null;
  error: string | null;
}

/** The signed-in account as GET /auth/me tells it. Provided by the page: every visit asks afresh. */
@Injectable()
export class MyAccountService {
  private readonly api = inject(API_CLIENT);
  readonly state = signal<MyAccountState>({ me: null, error: null });

  async load(): Promise<void> {
    try {
      this.state.set({ me: await this.api.me(), error: null });
    } catch (error) {
      this.state.update((state) => ({ ...state, error: describeErrorLocalized(error) }));
    }
  }
}
