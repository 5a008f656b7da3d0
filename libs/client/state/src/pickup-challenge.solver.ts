import { InjectionToken } from '@angular/core';
import type { PickupChallenge, PickupChallengeSolution, PickupChallengeSolver } from '@lexy/client-api';
import { solveChallengeWorkers, type Challenge } from 'altcha-lib';

/** A few workers share the search; more than four mostly heat a phone. */
const MAX_WORKERS = 4;
/** Give up well after a slow phone would have finished (the challenge itself lives 5 minutes). */
const SOLVE_TIMEOUT_MS = 120_000;

/**
 * Solves a pickup challenge in Web Workers, so the page stays responsive while it hashes.
 * The workers are started for one challenge and ended with it.
 */
export async function solveInWorkers(challenge: PickupChallenge): Promise<PickupChallengeSolution> {
  const solution = await solveChallengeWorkers({
    challenge: challenge as unknown as Challenge,
    concurrency: Math.min(MAX_WORKERS, globalThis.navigator?.hardwareConcurrency || 1),
    timeout: SOLVE_TIMEOUT_MS,
    // Angular's builder bundles the worker from this exact `new Worker(new URL(…))` form.
    createWorker: () => new Worker(new URL('./pickup-challenge.worker', import.meta.url), { type: 'module' }),
  });
  if (!solution) throw new Error('The proof-of-work challenge was not solved in time');
  return solution;
}

/** The solver the pickup service uses; tests give it one that answers at once. */
export const PICKUP_CHALLENGE_SOLVER = new InjectionToken<PickupChallengeSolver>('PICKUP_CHALLENGE_SOLVER', {
  providedIn: 'root',
  factory: () => solveInWorkers,
});
