import { realSchedule, type Schedule, type ShutdownState } from './shutdown-state.js';

/** The part of a (pino) logger the signal handler writes to. */
export interface ShutdownLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface TerminationOptions {
  shutdown: ShutdownState;
  log: ShutdownLog;
  /** Drains and closes everything (ShutdownState has begun); the process exits once it resolves. */
  stop: (signal: NodeJS.Signals) => Promise<void>;
  signals?: NodeJS.Signals[];
  /** How long past the deadline closing may take before the process exits anyway. */
  closeMarginMs?: number;
  exit?: (code: number) => void;
  schedule?: Schedule;
}

/** Past the grace period, closing (database pools, Redis) gets this much more before the process gives up. */
export const DEFAULT_CLOSE_MARGIN_MS = 4_000;

/**
 * Graceful shutdown on SIGTERM (what Kubernetes sends) and SIGINT (Ctrl+C): the first signal
 * begins draining and runs `stop`, then exits 0 (1 if `stop` failed, or if closing still runs
 * `closeMarginMs` after the deadline); a second signal exits at once. Returns how to remove the
 * handlers again.
 */
export function handleTerminationSignals(options: TerminationOptions): () => void {
  const {
    shutdown,
    log,
    stop,
    signals = ['SIGTERM', 'SIGINT'],
    closeMarginMs = DEFAULT_CLOSE_MARGIN_MS,
    exit = (code) => process.exit(code),
    schedule = realSchedule,
  } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second termination signal: exiting without waiting');
      exit(1);
      return;
    }
    stopping = true;
    shutdown.begin();
    log.info({ signal, graceSeconds: shutdown.graceMs / 1000 }, 'draining: no new work, finishing what is in flight');
    schedule(shutdown.graceMs + closeMarginMs, () => {
      log.error({ signal }, 'shutdown did not finish in time: exiting');
      exit(1);
    });
    stop(signal).then(
      () => {
        log.info({ signal }, 'stopped');
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error, signal }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
