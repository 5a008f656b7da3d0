import type { Schedule } from '../src/index.js';

/** A Schedule whose callbacks run when the test says so, whatever the delay asked for. */
export function manualSchedule(): { schedule: Schedule; fire(): void; pending(): number } {
  let callbacks: (() => void)[] = [];
  return {
    schedule: (_ms, callback) => {
      callbacks.push(callback);
      return () => {
        callbacks = callbacks.filter((other) => other !== callback);
      };
    },
    fire() {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback();
    },
    pending: () => callbacks.length,
  };
}
