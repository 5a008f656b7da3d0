import { manualSchedule } from '../test/manual-schedule.js';
import { ShutdownState } from './shutdown-state.js';
import { handleTerminationSignals, type ShutdownLog } from './termination-signals.js';

/** A signal nothing else in the test process listens to, emitted by hand (no real signal is sent). */
const SIGNAL = 'SIGUSR2';

function setup(stop: () => Promise<void>) {
  const time = manualSchedule();
  const shutdown = new ShutdownState(25_000, time.schedule);
  const exits: number[] = [];
  const lines: string[] = [];
  const log: ShutdownLog = {
    info: (_details, message) => lines.push(`info ${message}`),
    warn: (_details, message) => lines.push(`warn ${message}`),
    error: (_details, message) => lines.push(`error ${message}`),
  };
  const exited = new Promise<number>((resolve) => {
    const uninstall = handleTerminationSignals({
      shutdown,
      log,
      stop,
      signals: [SIGNAL],
      schedule: time.schedule,
      exit: (code) => {
        exits.push(code);
        uninstall();
        resolve(code);
      },
    });
  });
  return { time, shutdown, exits, lines, exited };
}

describe('handleTerminationSignals', () => {
  it('begins draining, stops, and exits 0', async () => {
    let drainingWhenStopped = false;
    const { shutdown, exited, lines } = setup(async () => {
      drainingWhenStopped = shutdown.draining;
    });
    process.emit(SIGNAL, SIGNAL);
    await expect(exited).resolves.toBe(0);
    expect(drainingWhenStopped).toBe(true);
    expect(lines).toEqual(['info draining: no new work, finishing what is in flight', 'info stopped']);
  });

  it('exits 1 when stopping fails', async () => {
    const { exited } = setup(() => Promise.reject(new Error('pool would not close')));
    process.emit(SIGNAL, SIGNAL);
    await expect(exited).resolves.toBe(1);
  });

  it('exits 1 when closing still runs past the grace period and its margin', async () => {
    const { time, exited, lines } = setup(() => new Promise(() => undefined));
    process.emit(SIGNAL, SIGNAL);
    time.fire();
    await expect(exited).resolves.toBe(1);
    expect(lines).toContain('error shutdown did not finish in time: exiting');
  });

  it('exits at once on a second signal', async () => {
    const { exited, exits } = setup(() => new Promise(() => undefined));
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    await expect(exited).resolves.toBe(1);
    expect(exits).toEqual([1]);
  });
});
