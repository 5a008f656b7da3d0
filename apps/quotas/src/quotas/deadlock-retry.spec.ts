import { isDeadlockError, withDeadlockRetry } from './deadlock-retry.js';

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
const wrappedDeadlock = () =>
  Object.assign(new Error('query failed'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });

/** Work that fails with the given errors in turn, then succeeds. */
function scripted(failures: Error[], result = 'done') {
  const script = {
    calls: 0,
    run: async () => {
      const failure = failures[script.calls++];
      if (failure) throw failure;
      return result;
    },
  };
  return script;
}

function recordingPause() {
  const pauses: number[] = [];
  return { pauses, pause: async (ms: number) => void pauses.push(ms) };
}

describe('isDeadlockError', () => {
  it('recognises the driver error and TypeORM wrapping it', () => {
    expect(isDeadlockError(deadlock())).toBe(true);
    expect(isDeadlockError(wrappedDeadlock())).toBe(true);
    expect(isDeadlockError(Object.assign(new Error('dup'), { errno: 1062, code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isDeadlockError(new Error('other'))).toBe(false);
    expect(isDeadlockError(null)).toBe(false);
  });
});

describe('withDeadlockRetry', () => {
  it('runs the work again after a deadlock, with a short random pause whose bound doubles, and returns its result', async () => {
    const work = scripted([deadlock(), wrappedDeadlock(), deadlock()]);
    const { pauses, pause } = recordingPause();
    await expect(withDeadlockRetry(work.run, { pause })).resolves.toBe('done');
    expect(work.calls).toBe(4);
    expect(pauses).toHaveLength(3);
    pauses.forEach((ms, attempt) => {
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThanOrEqual(25 * 2 ** attempt);
    });
  });

  it('gives up after six retries with the last deadlock', async () => {
    const last = deadlock();
    const work = scripted([...Array.from({ length: 6 }, deadlock), last]);
    await expect(withDeadlockRetry(work.run, recordingPause())).rejects.toBe(last);
    expect(work.calls).toBe(7);
  });

  it('succeeds on the last allowed retry', async () => {
    const work = scripted(Array.from({ length: 6 }, deadlock));
    await expect(withDeadlockRetry(work.run, recordingPause())).resolves.toBe('done');
    expect(work.calls).toBe(7);
  });

  it('does not retry other failures', async () => {
    const failure = new Error('constraint');
    const work = scripted([failure]);
    const { pauses, pause } = recordingPause();
    await expect(withDeadlockRetry(work.run, { pause })).rejects.toBe(failure);
    expect(work.calls).toBe(1);
    expect(pauses).toEqual([]);
  });
});
