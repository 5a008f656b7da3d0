// Two tabs of one client refreshing the same session at once: a race, not theft.
// Over real HTTP through the gateway, against the platform the global setup starts.
import { createHash } from 'node:crypto';
import { json, query, type RawResponse } from './support/e2e.js';
import { me, postJson, register, type Session } from './support/accounts.js';

const refresh = (refreshToken: string) => postJson('/auth/refresh', { refreshToken });
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A refresh that may be told REFRESH_IN_PROGRESS (409) once, and then retried as Retry-After says. */
async function refreshRetryingOnce(refreshToken: string): Promise<RawResponse> {
  const first = await refresh(refreshToken);
  if (first.status !== 409) return first;
  expect(json(first).error.code).toBe('REFRESH_IN_PROGRESS');
  expect(first.headers['retry-after']).toBe('1');
  return refresh(refreshToken);
}

/**
 * Moves a rotated token's rotation back past the grace window (at most 10 s), so "after
 * the window" needs no waiting.
 */
async function leaveGraceWindow(refreshToken: string): Promise<void> {
  // An UPDATE answers with a result header, not rows.
  const result = (await query(
    'auth',
    'UPDATE sessions SET rotated_at = rotated_at - INTERVAL 11 SECOND WHERE refresh_token_hash = ? AND rotated_at IS NOT NULL',
    [sha256(refreshToken)],
  )) as unknown as { affectedRows: number };
  expect(result.affectedRows).toBe(1);
}

async function expectFamilyRevoked(session: Pick<Session, 'accessToken' | 'refreshToken'>): Promise<void> {
  expect((await refresh(session.refreshToken)).status).toBe(401);
  const profile = await me(session.accessToken);
  expect(profile.status).toBe(401);
  expect(json(profile).error.code).toBe('SESSION_REVOKED');
}

describe('refresh race between a client’s own tabs', () => {
  it('answers two simultaneous refreshes of one token with the same refresh token, and the session lives on', async () => {
    const session = await register();

    const [a, b] = await Promise.all([
      refreshRetryingOnce(session.refreshToken),
      refreshRetryingOnce(session.refreshToken),
    ]);

    expect([a.status, b.status]).toEqual([200, 200]);
    const [tabA, tabB] = [json(a) as Session, json(b) as Session];
    expect(tabA.refreshToken).toBe(tabB.refreshToken);
    expect(tabA.refreshToken).not.toBe(session.refreshToken);
    for (const tab of [tabA, tabB]) {
      const profile = await me(tab.accessToken);
      expect(profile.status).toBe(200);
      expect(json(profile).user.id).toBe(session.user.id);
    }

    // The shared successor rotates on as usual.
    const next = await refresh(tabA.refreshToken);
    expect(next.status).toBe(200);
    expect((await me(json(next).accessToken)).status).toBe(200);
  });

  it('revokes the family when the predecessor is replayed after the grace window', async () => {
    const session = await register();
    const second = json(await refresh(session.refreshToken)) as Session;
    // Inside the window the replay yields the same successor.
    const again = await refresh(session.refreshToken);
    expect(again.status).toBe(200);
    expect(json(again).refreshToken).toBe(second.refreshToken);

    await leaveGraceWindow(session.refreshToken);
    const replay = await refresh(session.refreshToken);

    expect(replay.status).toBe(401);
    expect(json(replay).error.code).toBe('REFRESH_TOKEN_REUSED');
    await expectFamilyRevoked(second);
  });

  it('revokes the family when a token older than the predecessor is replayed, even inside the window', async () => {
    const session = await register();
    const second = json(await refresh(session.refreshToken)) as Session;
    const third = json(await refresh(second.refreshToken)) as Session;
    expect((await me(third.accessToken)).status).toBe(200);

    const replay = await refresh(session.refreshToken);

    expect(replay.status).toBe(401);
    expect(json(replay).error.code).toBe('REFRESH_TOKEN_REUSED');
    await expectFamilyRevoked(third);
  });
});
