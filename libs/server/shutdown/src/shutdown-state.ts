/** Runs `callback` after `ms`; returns how to cancel it. Injected so that tests decide when time passes. */
export type Schedule = (ms: number, callback: () => void) => () => void;

/** setTimeout that does not keep the process alive on its own. */
export const realSchedule: Schedule = (ms, callback) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** How a wait for work in flight ended: the work finished, or the grace period ran out first. */
export type DrainOutcome = 'drained' | 'deadline';

/**
 * A process's shutdown: from the termination signal (`begin`) it drains — takes no new work,
 * reports not-ready — and lets the work in flight finish until the grace period
 * (SHUTDOWN_GRACE_SECONDS) is over; then what is left is cut (`deadline` aborts). Health checks,
 * servers and workers read it; the signal handler (handleTerminationSignals) begins it.
 */
export class ShutdownState {
  private startedAtMs: number | undefined;
  private readonly listeners: (() => void)[] = [];
  private readonly deadlineController = new AbortController();

  constructor(
    readonly graceMs: number,
    private readonly schedule: Schedule = realSchedule,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True from `begin` on: no new work, health answers 503. */
  get draining(): boolean {
    return this.startedAtMs !== undefined;
  }

  /** Aborted when the grace period is over: what still runs is to be cut now. */
  get deadline(): AbortSignal {
    return this.deadlineController.signal;
  }

  /** What is left of the grace period (all of it before draining begins, 0 after the deadline). */
  remainingMs(): number {
    if (this.deadline.aborted) return 0;
    if (this.startedAtMs === undefined) return this.graceMs;
    return Math.max(0, this.startedAtMs + this.graceMs - this.clock());
  }

  /** Starts draining and the grace period; false when it had begun already. */
  begin(): boolean {
    if (this.startedAtMs !== undefined) return false;
    this.startedAtMs = this.clock();
    this.schedule(this.graceMs, () => this.deadlineController.abort());
    for (const listener of this.listeners.splice(0)) listener();
    return true;
  }

  /** Calls `listener` when draining begins (at once if it has). */
  onDrain(listener: () => void): void {
    if (this.draining) listener();
    else this.listeners.push(listener);
  }

  /** Waits for `work` until the deadline: 'drained' if it settled first (whatever its outcome). */
  async within(work: Promise<unknown>): Promise<DrainOutcome> {
    if (this.deadline.aborted) return 'deadline';
    const deadline = this.deadline;
    let stopWaiting: () => void = () => undefined;
    const passed = new Promise<DrainOutcome>((resolve) => {
      const onAbort = () => resolve('deadline');
      deadline.addEventListener('abort', onAbort, { once: true });
      stopWaiting = () => deadline.removeEventListener('abort', onAbort);
    });
    const settled = work.then(
      () => 'drained' as const,
      () => 'drained' as const,
    );
    try {
      return await Promise.race([settled, passed]);
    } finally {
      stopWaiting();
    }
  }
}
