import { FrameRateLimit, frameLength } from './frame-rate-limit.js';

const text = Buffer.from('{"type":"ping"}');
const options = { perSecond: 100, burst: 200, smallBinaryBytes: 1024 };

/** A limit on a clock the test moves by hand. */
function limitAt(start = 0) {
  let now = start;
  const limit = new FrameRateLimit(options, () => now);
  return { limit, advance: (ms: number) => (now += ms) };
}

const admitted = (limit: FrameRateLimit, count: number, data: Buffer = text, isBinary = false) => {
  let passed = 0;
  for (let index = 0; index < count; index += 1) if (limit.admit(data, isBinary)) passed += 1;
  return passed;
};

describe('FrameRateLimit', () => {
  it('admits a burst of text frames at once, then refuses', () => {
    const { limit } = limitAt();
    expect(admitted(limit, 200)).toBe(200);
    expect(limit.admit(text, false)).toBe(false);
  });

  it('gives tokens back at the sustained rate, never above the burst', () => {
    const { limit, advance } = limitAt();
    admitted(limit, 200);
    advance(100); // 10 frames' worth
    expect(admitted(limit, 20)).toBe(10);
    advance(60_000);
    expect(admitted(limit, 300)).toBe(200);
  });

  it('lets a client at 100 frames a second run for ever', () => {
    const { limit, advance } = limitAt();
    for (let second = 0; second < 30; second += 1) {
      for (let frame = 0; frame < 100; frame += 1) {
        expect(limit.admit(text, false)).toBe(true);
        advance(10);
      }
    }
  });

  it('refuses a flood of 10,000 a second within its first second', () => {
    const { limit, advance } = limitAt();
    let refusedAt = -1;
    for (let frame = 0; frame < 10_000 && refusedAt < 0; frame += 1) {
      if (!limit.admit(text, false)) refusedAt = frame;
      advance(0.1);
    }
    expect(refusedAt).toBeGreaterThanOrEqual(200);
    expect(refusedAt).toBeLessThan(300);
  });

  it('does not count binary frames of relayed bytes, even far faster than the text budget', () => {
    const { limit, advance } = limitAt();
    const chunk = Buffer.alloc(64 * 1024);
    for (let frame = 0; frame < 50_000; frame += 1) {
      expect(limit.admit(chunk, true)).toBe(true);
      advance(0.05);
    }
    // The text budget is still whole.
    expect(admitted(limit, 200)).toBe(200);
  });

  it('counts tiny binary frames like text frames', () => {
    const { limit } = limitAt();
    const tiny = Buffer.alloc(17);
    expect(admitted(limit, 250, tiny, true)).toBe(200);
    expect(limit.admit(Buffer.alloc(1024), true)).toBe(true);
  });

  it('measures fragmented and ArrayBuffer frames without copying', () => {
    expect(frameLength([Buffer.alloc(3), Buffer.alloc(5)])).toBe(8);
    expect(frameLength(new ArrayBuffer(7))).toBe(7);
    expect(frameLength(Buffer.alloc(2))).toBe(2);
  });
});
