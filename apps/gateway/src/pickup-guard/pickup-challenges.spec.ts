import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { PickupChallenges } from './pickup-challenges.js';

const SECRET = 'test-pickup-challenge-secret-0123456789-abcdef';

async function solvedHeader(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

describe('PickupChallenges', () => {
  const challenges = new PickupChallenges(SECRET, 200);

  it('issues signed challenges that altcha-lib solves, and accepts the solution with its nonce as the claim', async () => {
    const challenge = await challenges.create();
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters.expiresAt! * 1_000).toBeGreaterThan(Date.now() + 4 * 60_000);
    const check = await challenges.verify(await solvedHeader(challenge));
    expect(check).toEqual({ outcome: 'solved', claim: { id: challenge.parameters.nonce, ttlMs: expect.any(Number) } });
    if (check.outcome === 'solved') expect(check.claim.ttlMs).toBeGreaterThan(4 * 60_000);
  });

  it('makes the client search: the counter is at least half the maximum', async () => {
    const solution = await solveChallenge({ challenge: await challenges.create(), deriveKey });
    expect(solution?.counter).toBeGreaterThanOrEqual(100);
    expect(solution?.counter).toBeLessThanOrEqual(200);
  });

  it('refuses a wrong key, a tampered challenge, another secret and garbage', async () => {
    const challenge = await challenges.create();
    const solution = await solveChallenge({ challenge, deriveKey });
    const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64');
    const wrongKey = { ...solution, derivedKey: '00'.repeat(32) };
    expect(await challenges.verify(encode({ challenge, solution: wrongKey }))).toEqual({ outcome: 'invalid' });
    const easier = { ...challenge, parameters: { ...challenge.parameters, keyPrefix: '0' } };
    expect(await challenges.verify(encode({ challenge: easier, solution }))).toEqual({ outcome: 'invalid' });
    const foreign = new PickupChallenges(`${SECRET}-other`, 200);
    expect(await foreign.verify(encode({ challenge, solution }))).toEqual({ outcome: 'invalid' });
    for (const header of ['%%%', Buffer.from('null').toString('base64'), encode({ challenge }), 'x'.repeat(5_000)]) {
      expect(await challenges.verify(header)).toEqual({ outcome: 'invalid' });
    }
    expect(await challenges.verify(['a', 'b'])).toEqual({ outcome: 'invalid' });
    expect(await challenges.verify(undefined)).toEqual({ outcome: 'missing' });
  });

  it('refuses a solution to an expired challenge', async () => {
    const issuedLongAgo = new PickupChallenges(SECRET, 200, () => Date.now() - 10 * 60_000);
    const challenge = await issuedLongAgo.create();
    expect(await challenges.verify(await solvedHeader(challenge))).toEqual({ outcome: 'expired' });
  });
});
