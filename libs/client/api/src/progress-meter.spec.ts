import { ProgressMeter } from './progress-meter.js';

describe('ProgressMeter', () => {
  it('knows no speed from one reading', () => {
    expect(new ProgressMeter().record(10, 100, 0)).toEqual({ percent: 10, bytesPerSecond: null, secondsLeft: null });
  });

  it('gives speed and time left over its window', () => {
    const meter = new ProgressMeter(5_000);
    meter.record(0, 1_000, 0);
    meter.record(100, 1_000, 1_000);
    expect(meter.record(200, 1_000, 2_000)).toEqual({ percent: 20, bytesPerSecond: 100, secondsLeft: 8 });
  });

  it('forgets readings older than the window', () => {
    const meter = new ProgressMeter(1_000);
    meter.record(0, 10_000, 0);
    meter.record(100, 10_000, 10_000);
    meter.record(1_100, 10_000, 10_500);
    expect(meter.record(2_100, 10_000, 11_000).bytesPerSecond).toBe(2_000);
  });

  it('starts afresh after a reset', () => {
    const meter = new ProgressMeter();
    meter.record(0, 100, 0);
    meter.reset();
    expect(meter.record(50, 100, 60_000).bytesPerSecond).toBeNull();
  });
});
