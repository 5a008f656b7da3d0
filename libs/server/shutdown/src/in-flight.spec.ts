import { InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('is idle at once when nothing runs', async () => {
    await expect(new InFlight().idle()).resolves.toBeUndefined();
  });

  it('becomes idle when the last piece of work ends, each end counting once', async () => {
    const work = new InFlight();
    const first = work.start();
    const second = work.start();
    let idle = false;
    const waiting = work.idle().then(() => (idle = true));
    first();
    first();
    await Promise.resolve();
    expect([work.size, idle]).toEqual([1, false]);
    second();
    await waiting;
    expect([work.size, idle]).toEqual([0, true]);
  });
});
