import { Pace, type PaceClock } from './pace.js';

/** A clock that moves when told to, or when the Pace sleeps. */
function fakeClock() {
  const sleeps: number[] = [];
  let now = 1000;
  const clock: PaceClock & { advance(ms: number): void } = {
    now: () => now,
    advance: (ms) => void (now += ms),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps };
}

const running = new AbortController().signal;

/** Books a batch of `items` and reports `handled` (all of them unless told otherwise). */
async function batch(pace: Pace, items: number, handled = items, signal = running): Promise<void> {
  (await pace.book(items, signal))(handled);
}

describe('Pace', () => {
  it("starts at once, then waits out what is left of the previous batch's share of time", async () => {
    const { clock, sleeps } = fakeClock();
    const pace = new Pace(500, clock);

    await batch(pace, 500); // 500 items at 500/s: the next batch starts 1000 ms later
    clock.advance(300);
    await batch(pace, 100); // waits 700 ms, then 100 items take 200 ms
    clock.advance(50);
    await batch(pace, 100);
    expect(sleeps).toEqual([700, 150]);
  });

  it('does not wait after a batch slower than its share', async () => {
    const { clock, sleeps } = fakeClock();
    const pace = new Pace(500, clock);

    await batch(pace, 500);
    clock.advance(1500);
    await batch(pace, 500);
    expect(sleeps).toEqual([]);
  });

  it('gives back the share of items a batch did not handle: an empty batch holds up nothing', async () => {
    const { clock, sleeps } = fakeClock();
    const pace = new Pace(500, clock);

    await batch(pace, 500, 0);
    await batch(pace, 500, 250); // books 1000 ms, gives back 500
    clock.advance(100);
    await batch(pace, 500);
    expect(sleeps).toEqual([400]);
  });

  it('makes runs side by side take turns: together they keep to the rate', async () => {
    const { clock, sleeps } = fakeClock();
    const pace = new Pace(100, clock);
    // Two runs book at the same moment: one starts at once, the other a share (1 s) later;
    // a third batch after both waits for the end of the second's share.
    await Promise.all([batch(pace, 100), batch(pace, 100)]);
    await batch(pace, 100);
    expect(sleeps).toEqual([1000, 1000]);
    expect(clock.now()).toBe(3000);
  });

  it('never waits when the rate is 0 (unpaced)', async () => {
    const { clock, sleeps } = fakeClock();
    const pace = new Pace(0, clock);
    await batch(pace, 1000);
    await batch(pace, 1000);
    expect(sleeps).toEqual([]);
  });

  it('cuts the wait short when the run is stopped', async () => {
    const stop = new AbortController();
    const pace = new Pace(1); // real clock: the second batch would wait 1000 s
    await batch(pace, 1000, 1000, stop.signal);
    const waited = pace.book(1000, stop.signal);
    stop.abort();
    await expect(waited).resolves.toEqual(expect.any(Function));
  });
});
