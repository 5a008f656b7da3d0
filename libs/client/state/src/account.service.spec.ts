import { TestBed } from '@angular/core/testing';
import type { SessionResponse } from '@lexy/client-api';
import { AccountService } from './account.service';
import { API_CLIENT } from './api';
import { SessionStore } from './session.store';

const session: SessionResponse = {
  user: { id: 'u1', email: 'ada@example.test', displayName: 'Ada', group: 'normal', createdAt: '2026-01-01T00:00:00Z' },
  accessToken: 'access',
  refreshToken: 'refresh',
  expiresIn: 900,
};

function withApi() {
  localStorage.clear();
  const api = { register: vi.fn(async () => session), login: vi.fn(async () => session) };
  TestBed.configureTestingModule({ providers: [{ provide: API_CLIENT, useValue: api }] });
  return { api, account: TestBed.inject(AccountService), store: TestBed.inject(SessionStore) };
}

describe('AccountService', () => {
  it('creates an account with the display name given, and starts its session', async () => {
    const { api, account, store } = withApi();
    expect(await account.register({ email: 'ada@example.test', password: 'secret-pass', displayName: '  Ada ' })).toBe(
      true,
    );
    expect(api.register).toHaveBeenCalledWith({
      email: 'ada@example.test',
      password: 'secret-pass',
      displayName: 'Ada',
    });
    expect(store.user()?.displayName).toBe('Ada');
  });

  it('sends no display name when none or only blanks were given', async () => {
    const { api, account } = withApi();
    await account.register({ email: 'ada@example.test', password: 'secret-pass', displayName: '   ' });
    await account.register({ email: 'ada@example.test', password: 'secret-pass' });
    expect(api.register.mock.calls).toEqual([
      [{ email: 'ada@example.test', password: 'secret-pass' }],
      [{ email: 'ada@example.test', password: 'secret-pass' }],
    ]);
  });
});
