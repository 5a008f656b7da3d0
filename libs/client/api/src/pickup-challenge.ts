import { ApiError } from './api-error.js';

/**
 * An ALTCHA v2 challenge as the gateway sends it in `details.challenge` of 428
 * CHALLENGE_REQUIRED (docs/api.md "Pickup-code limits"). Only the fields a client reads are
 * named; the whole object goes back to the gateway unchanged.
 */
export interface PickupChallenge {
  parameters: { algorithm: string; nonce: string; salt: string; keyPrefix: string; [key: string]: unknown };
  signature?: string;
  [key: string]: unknown;
}

/** What a solver (altcha-lib's `solveChallenge`) found: the counter and the key it derives. */
export interface PickupChallengeSolution {
  counter: number;
  derivedKey: string;
  time?: number;
}

/** Solves a challenge; the web app runs altcha-lib in a Web Worker, a mobile app may do otherwise. */
export type PickupChallengeSolver = (challenge: PickupChallenge) => Promise<PickupChallengeSolution>;

/** The request header that carries a solved challenge. */
export const PICKUP_CHALLENGE_HEADER = 'X-Pickup-Challenge';

/** The header's value: base64 of the JSON `{challenge, solution}` (as ALTCHA's widget sends it). */
export function pickupChallengeHeader(challenge: PickupChallenge, solution: PickupChallengeSolution): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ challenge, solution }));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function isChallenge(value: unknown): value is PickupChallenge {
  if (typeof value !== 'object' || value === null) return false;
  const parameters = (value as { parameters?: unknown }).parameters;
  return (
    typeof parameters === 'object' &&
    parameters !== null &&
    typeof (parameters as { nonce?: unknown }).nonce === 'string'
  );
}

/** The challenge of a 428 CHALLENGE_REQUIRED answer, or null for any other error. */
export function challengeOf(error: unknown): PickupChallenge | null {
  if (!(error instanceof ApiError) || error.code !== 'CHALLENGE_REQUIRED') return null;
  const challenge = error.details['challenge'];
  return isChallenge(challenge) ? challenge : null;
}

export interface ChallengeRetryOptions {
  solve: PickupChallengeSolver;
  /** Told when solving starts and ends, so that a page can say "Checking your browser…". */
  onSolving?: (solving: boolean) => void;
}

/**
 * Runs a pickup request; when it answers 428 CHALLENGE_REQUIRED, solves the challenge it came
 * with and runs the request once more with the solution's header. Only once: a second 428 (the
 * solution expired, or the budget is still exceeded and it was used) is the caller's to show,
 * since repeating would let a broken solver loop for ever.
 */
export async function withPickupChallenge<T>(
  request: (challengeHeader: string | null) => Promise<T>,
  { solve, onSolving }: ChallengeRetryOptions,
): Promise<T> {
  try {
    return await request(null);
  } catch (error) {
    const challenge = challengeOf(error);
    if (!challenge) throw error;
    onSolving?.(true);
    let solution: PickupChallengeSolution;
    try {
      solution = await solve(challenge);
    } catch {
      // A solver that failed (timed out, no Web Crypto) leaves the person with the 428's own words.
      throw error;
    } finally {
      onSolving?.(false);
    }
    return request(pickupChallengeHeader(challenge, solution));
  }
}
