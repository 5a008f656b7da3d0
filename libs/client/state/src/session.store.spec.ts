import { TestBed } from '@angular/core/testing';
import { SESSION_PERSISTENCE, type SessionPersistence, type StoredSession } from './session-persistence';
import { SessionStore } from './session.store';

const USER = { id: 'u1', email: 'a@b.c', displayName: null, group: 'normal', createdAt: '2026-01-01T00:00:00Z' };
const KEY = 'lexy.session';

/** A session as another tab (or this one, earlier) left it in storage. */
function storeSession(accessToken: string, refreshToken: string, expiresInMs: number): void {
  localStorage.setItem(
    KEY,
    JSON.stringify({ user: USER, accessToken, refreshToken, expiresAt: Date.now() + expiresInMs }),
  );
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const pair = (n: number) =>
  json(200, { user: USER, accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900 });

/** The gateway's /auth/refresh, answering in turn; records the refresh tokens it was sent. */
function gateway(...answers: (() => Response)[]) {
  const sent: string[] = [];
  const fetch = vi.fn(async (request: Request) => {
    sent.push(((await request.json()) as { refreshToken: string }).refreshToken);
    const answer = answers.shift();
    if (!answer) throw new TypeError('Failed to fetch');
    return answer();
  });
  vi.stubGlobal('fetch', fetch);
  return { sent };
}

describe('SessionStore: silent refresh', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends the current token while it is fresh, and refreshes once, for all callers, when it is about to expire', async () => {
    storeSession('access-0', 'refresh-0', 10 * 60_000);
    const { sent } = gateway(() => pair(1));
    const session = TestBed.inject(SessionStore);
    expect(await session.accessToken()).toBe('access-0');
    expect(sent).toEqual([]);

    storeSession('access-0', 'refresh-0', 5_000);
    window.dispatchEvent(new StorageEvent('storage', { key: KEY }));
    const tokens = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()]);
    expect(tokens).toEqual(['access-1', 'access-1', 'access-1']);
    expect(sent).toEqual(['refresh-0']);
    expect(JSON.parse(localStorage.getItem(KEY)!).refreshToken).toBe('refresh-1');
  });

  it('takes the tokens another tab already refreshed instead of refreshing again', async () => {
    storeSession('access-0', 'refresh-0', 5_000);
    const { sent } = gateway();
    const session = TestBed.inject(SessionStore);
    // The other tab refreshed; this tab has not heard of it yet (no storage event).
    storeSession('access-1', 'refresh-1', 15 * 60_000);
    expect(await session.accessToken()).toBe('access-1');
    expect(sent).toEqual([]);
  });

  it('waits and looks again when another tab is refreshing the same token (409 REFRESH_IN_PROGRESS)', async () => {
    storeSession('access-0', 'refresh-0', 5_000);
    const busy = () =>
      json(409, { error: { code: 'REFRESH_IN_PROGRESS', message: 'busy', details: {} } }, { 'Retry-After': '1' });
    gateway(busy);
    const session = TestBed.inject(SessionStore);
    vi.useFakeTimers();
    const token = session.accessToken();
    await vi.advanceTimersByTimeAsync(10);
    storeSession('access-1', 'refresh-1', 15 * 60_000); // the other tab's answer lands
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await token).toBe('access-1');
    expect(session.signedIn()).toBe(true);
  });

  it('signs out when the session has ended, but keeps it when the network is down', async () => {
    storeSession('access-0', 'refresh-0', 5_000);
    gateway(); // no answer at all: offline
    const offline = TestBed.inject(SessionStore);
    expect(await offline.accessToken()).toBe('access-0');
    expect(offline.signedIn()).toBe(true);

    TestBed.resetTestingModule();
    storeSession('access-0', 'refresh-0', 5_000);
    gateway(() => json(401, { error: { code: 'REFRESH_TOKEN_REUSED', message: 'reused', details: {} } }));
    const ended = TestBed.inject(SessionStore);
    expect(await ended.accessToken()).toBeNull();
    expect(ended.signedIn()).toBe(false);
    expect(ended.endedBecause()).toBe('REFRESH_TOKEN_REUSED');
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('signs out, saying why, when the account was disabled (403 ACCOUNT_DISABLED on refresh)', async () => {
    storeSession('access-0', 'refresh-0', 5_000);
    gateway(() => json(403, { error: { code: 'ACCOUNT_DISABLED', message: 'disabled', details: {} } }));
    const session = TestBed.inject(SessionStore);
    expect(await session.accessToken()).toBeNull();
    expect(session.signedIn()).toBe(false);
    expect(session.endedBecause()).toBe('ACCOUNT_DISABLED');

    // Signing in again starts afresh: the reason is gone.
    session.start({ user: USER as never, accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    expect(session.endedBecause()).toBeNull();
  });
});

describe("SessionStore on a persistence that reads asynchronously (a phone's secure storage)", () => {
  afterEach(() => vi.unstubAllGlobals());

  /** Secure storage stand-in: answers reads after a turn of the event loop, records every write. */
  function slowStorage(initial: StoredSession | null) {
    let stored = initial;
    const writes: (StoredSession | null)[] = [];
    const persistence: SessionPersistence = {
      read: () => new Promise((resolve) => setTimeout(() => resolve(stored), 5)),
      write: (session) => {
        stored = session;
        writes.push(session);
      },
    };
    TestBed.configureTestingModule({ providers: [{ provide: SESSION_PERSISTENCE, useValue: persistence }] });
    return { writes };
  }

  it('waits for the stored session before answering a token, and writes to it, not to web storage', async () => {
    localStorage.clear();
    const { writes } = slowStorage({
      user: USER as never,
      accessToken: 'a-0',
      refreshToken: 'r-0',
      expiresAt: Date.now() + 5_000,
    });
    gateway(() => pair(1));
    const session = TestBed.inject(SessionStore);
    expect(session.signedIn()).toBe(false);
    expect(await session.accessToken()).toBe('access-1');
    expect(session.signedIn()).toBe(true);
    expect(writes.map((w) => w?.refreshToken)).toEqual(['refresh-1']);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('keeps a session started before the slow read answered', async () => {
    slowStorage(null);
    const session = TestBed.inject(SessionStore);
    session.start({ user: USER as never, accessToken: 'fresh', refreshToken: 'r', expiresIn: 900 });
    await session.ready;
    expect(await session.accessToken()).toBe('fresh');
  });
});
