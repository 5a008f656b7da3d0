/** The name of a job in metrics and logs: a tick of CLEANUP_TICKS or PURGE_FILES_JOB. */
export type JobName = string;

/** What a job sees of its run: when to stop, and where to count what it did. */
export interface JobRun {
  /** Aborted when the worker shuts down: loops stop after the batch in hand. */
  readonly signal: AbortSignal;
  /** Adds to what the run did under `action` (the `action` label of lexy_cleanup_items_total). */
  count(action: string, amount: number): void;
}

/**
 * The most batches one run of a draining job works through. A batch handles what it takes
 * off the services' lists, so a list longer than this is left to the next tick, and a service
 * that keeps answering full batches cannot hold a run forever.
 */
export const MAX_BATCHES_PER_RUN = 100;

/**
 * Runs `batch` until it handles fewer than `limit` items (nothing more to do), the run is
 * stopped, or MAX_BATCHES_PER_RUN batches ran.
 */
export async function drain(run: JobRun, limit: number, batch: () => Promise<number>): Promise<void> {
  for (let done = 0; done < MAX_BATCHES_PER_RUN && !run.signal.aborted; done++) {
    if ((await batch()) < limit) return;
  }
}

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * Runs `task` on every item, at most `concurrency` at once; rejects with the first failure
 * once the tasks already started have settled (none is left running behind the caller).
 */
export async function eachLimited<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure) throw failure.error;
}
