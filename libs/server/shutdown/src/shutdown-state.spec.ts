import { manualSchedule } from '../test/manual-schedule.js';
import { ShutdownState } from './shutdown-state.js';

describe('ShutdownState', () => {
  it('is not draining until it begins, then is, once', () => {
    const state = new ShutdownState(25_000, manualSchedule().schedule);
    expect(state.draining).toBe(false);
    expect(state.begin()).toBe(true);
    expect(state.draining).toBe(true);
    expect(state.begin()).toBe(false);
  });

  it('tells its listeners when draining begins, and later ones at once', () => {
    const state = new ShutdownState(1_000, manualSchedule().schedule);
    const heard: string[] = [];
    state.onDrain(() => heard.push('early'));
    expect(heard).toEqual([]);
    state.begin();
    state.onDrain(() => heard.push('late'));
    expect(heard).toEqual(['early', 'late']);
  });

  it('counts the grace period from the beginning and aborts its deadline when it is over', () => {
    const time = manualSchedule();
    let now = 1_000;
    const state = new ShutdownState(25_000, time.schedule, () => now);
    expect(state.remainingMs()).toBe(25_000);
    state.begin();
    now += 10_000;
    expect(state.remainingMs()).toBe(15_000);
    expect(state.deadline.aborted).toBe(false);
    time.fire();
    expect(state.deadline.aborted).toBe(true);
    expect(state.remainingMs()).toBe(0);
  });

  it('waits for work that finishes before the deadline, failed work included', async () => {
    const state = new ShutdownState(25_000, manualSchedule().schedule);
    state.begin();
    await expect(state.within(Promise.resolve('done'))).resolves.toBe('drained');
    await expect(state.within(Promise.reject(new Error('cut')))).resolves.toBe('drained');
  });

  it('stops waiting at the deadline for work that is still going', async () => {
    const time = manualSchedule();
    const state = new ShutdownState(25_000, time.schedule);
    state.begin();
    const waiting = state.within(new Promise(() => undefined));
    time.fire();
    await expect(waiting).resolves.toBe('deadline');
    await expect(state.within(new Promise(() => undefined))).resolves.toBe('deadline');
  });
});
