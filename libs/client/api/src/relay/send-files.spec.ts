import { concat, randomBytes, sameBytes, sha256Hex } from '../../test/bytes.js';
import { unprefixFrame } from './frames.js';
import { sendFiles } from './send-files.js';

const id = '0190f3a2-7b1c-7def-8a12-3456789abcde';

/** A socket whose unsent bytes pile up until the test drains them. */
class FakeSink {
  bufferedAmount = 0;
  readonly frames: Uint8Array[] = [];
  highest = 0;
  sendFrame(frame: Uint8Array): void {
    this.frames.push(frame);
    this.bufferedAmount += frame.length;
    this.highest = Math.max(this.highest, this.bufferedAmount);
  }
  payload(): Uint8Array {
    return concat(this.frames.map((frame) => unprefixFrame(frame)!.payload));
  }
}

describe('sendFiles', () => {
  const contents = [randomBytes(100_000), randomBytes(0), randomBytes(33_333)];
  const files = contents.map((bytes) => new Blob([bytes]));

  it('sends the files in order as prefixed frames and returns their SHA-256s', async () => {
    const sink = new FakeSink();
    const digests = await sendFiles(sink, id, files, {
      frameBytes: 16_384,
      readBytes: 40_000,
      highWaterBytes: Infinity,
    });
    expect(digests).toEqual(await Promise.all(contents.map(sha256Hex)));
    expect(sameBytes(sink.payload(), concat(contents))).toBe(true);
    expect(sink.frames.every((frame) => unprefixFrame(frame)!.transferId === id)).toBe(true);
    expect(Math.max(...sink.frames.map((frame) => frame.length))).toBe(16 + 16_384);
  });

  it('hands the socket nothing more while it holds more than the high-water mark', async () => {
    const sink = new FakeSink();
    let pauses = 0;
    const pause = async () => {
      pauses += 1;
      sink.bufferedAmount = 0; // the socket drained
    };
    await sendFiles(sink, id, files, { frameBytes: 10_000, highWaterBytes: 25_000, pause });
    expect(pauses).toBeGreaterThan(0);
    // A frame goes only while at most the mark is buffered: the mark plus one frame at most.
    expect(sink.highest).toBeLessThanOrEqual(25_000 + 10_016);
    expect(sameBytes(sink.payload(), concat(contents))).toBe(true);
  });

  it('sends only the bytes from a resume offset on, still hashing every file whole', async () => {
    const sink = new FakeSink();
    const digests = await sendFiles(sink, id, files, { from: 50_001, frameBytes: 16_384, highWaterBytes: Infinity });
    expect(digests).toEqual(await Promise.all(contents.map(sha256Hex)));
    expect(sameBytes(sink.payload(), concat(contents).subarray(50_001))).toBe(true);
  });

  it('stops when aborted and resolves with null', async () => {
    const sink = new FakeSink();
    const stop = new AbortController();
    const sending = sendFiles(sink, id, files, {
      frameBytes: 10_000,
      highWaterBytes: 0,
      signal: stop.signal,
      pause: async () => stop.abort(),
    });
    expect(await sending).toBeNull();
    expect(sink.frames).toHaveLength(1);
  });
});
