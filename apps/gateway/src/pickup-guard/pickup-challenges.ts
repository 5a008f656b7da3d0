import { createChallenge, verifySolution, type Challenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { createHmac, randomInt } from 'node:crypto';
import type { ChallengeClaim } from './pickup-limit-store.js';

/** The request header that carries a solved challenge: base64 of `{challenge, solution}` JSON, as ALTCHA sends it. */
export const CHALLENGE_HEADER = 'x-pickup-challenge';

const CHALLENGE_TTL_MS = 5 * 60_000;
/** A solution is larger than this only if someone is padding it. */
const MAX_PAYLOAD_LENGTH = 4_096;

export type ChallengeCheck =
  { outcome: 'solved'; claim: ChallengeClaim } | { outcome: 'missing' | 'invalid' | 'expired' };

/**
 * Proof-of-work challenges (ALTCHA v2, altcha-lib) for anonymous lookups past the global
 * failure budget. Deterministic mode: the server picks the counter and signs the key it
 * derives, so the client must search for that counter while verifying costs one HMAC; the
 * hard part of an attack (many solutions) stays with the attacker.
 */
export class PickupChallenges {
  private readonly keySignatureSecret: string;

  constructor(
    private readonly secret: string,
    /** Solving takes about 3/4 of this many SHA-256 hashes on average. */
    private readonly maxCounter: number,
    private readonly now: () => number = Date.now,
  ) {
    // A second key, derived, so a signed challenge and a signed key can never be swapped.
    this.keySignatureSecret = createHmac('sha256', secret).update('pickup-challenge-key-signature').digest('hex');
  }

  create(): Promise<Challenge> {
    return createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(Math.ceil(this.maxCounter / 2), this.maxCounter + 1),
      deriveKey,
      hmacSignatureSecret: this.secret,
      hmacKeySignatureSecret: this.keySignatureSecret,
      expiresAt: new Date(this.now() + CHALLENGE_TTL_MS),
    });
  }

  /** Checks a solution's signature, expiry and key; whether it was used before is the store's part. */
  async verify(header: string | string[] | undefined): Promise<ChallengeCheck> {
    if (header === undefined || header === '') return { outcome: 'missing' };
    if (typeof header !== 'string' || header.length > MAX_PAYLOAD_LENGTH) return { outcome: 'invalid' };
    const payload = decode(header);
    if (!payload) return { outcome: 'invalid' };
    try {
      const result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.secret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
      if (result.expired) return { outcome: 'expired' };
      if (!result.verified) return { outcome: 'invalid' };
    } catch {
      return { outcome: 'invalid' };
    }
    const { nonce, expiresAt } = payload.challenge.parameters;
    // Remembered until it expires: after that, verifySolution refuses it anyway.
    const ttlMs = Math.max(1, (expiresAt ?? 0) * 1_000 - this.now()) + 1_000;
    return { outcome: 'solved', claim: { id: nonce, ttlMs } };
  }
}

function decode(header: string): Payload | undefined {
  try {
    const payload = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Partial<Payload> | null;
    const parameters = payload?.challenge?.parameters;
    if (typeof parameters?.nonce !== 'string' || typeof parameters.expiresAt !== 'number' || !payload?.solution) {
      return undefined;
    }
    return payload as Payload;
  } catch {
    return undefined;
  }
}
