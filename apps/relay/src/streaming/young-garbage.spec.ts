import { jest } from '@jest/globals';
import { SWEEP_EVERY_BYTES, YoungGarbage } from './young-garbage.js';

describe('YoungGarbage', () => {
  it('sweeps once each time the given number of bytes has been relayed', () => {
    const collect = jest.fn();
    const garbage = new YoungGarbage(1000, collect);
    garbage.relayed(600);
    expect(collect).not.toHaveBeenCalled();
    garbage.relayed(400);
    expect(collect).toHaveBeenCalledTimes(1);
    garbage.relayed(999);
    expect(collect).toHaveBeenCalledTimes(1);
    garbage.relayed(1);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it('sweeps at most once for a frame larger than the interval', () => {
    const collect = jest.fn();
    const garbage = new YoungGarbage(1000, collect);
    garbage.relayed(5000);
    expect(collect).toHaveBeenCalledTimes(1);
    garbage.relayed(10);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('does nothing without --expose-gc (V8 alone decides then)', () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    const garbage = new YoungGarbage();
    expect(() => garbage.relayed(SWEEP_EVERY_BYTES * 2)).not.toThrow();
  });

  it('sweeps less often than a full high-water mark of queued frames turns over', () => {
    expect(SWEEP_EVERY_BYTES).toBeGreaterThanOrEqual(2 * 4 * 1024 * 1024);
  });
});
