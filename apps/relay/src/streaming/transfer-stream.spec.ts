import { TransferStream } from './transfer-stream.js';

const MiB = 1024 * 1024;

describe('TransferStream', () => {
  it('counts payload bytes up to the declared total and refuses any beyond it', () => {
    const stream = new TransferStream(10, 4 * MiB);
    expect(stream.accept(6)).toBe(true);
    expect(stream.isComplete()).toBe(false);
    expect(stream.accept(5)).toBe(false);
    expect(stream.receivedBytes).toBe(6);
    expect(stream.accept(4)).toBe(true);
    expect(stream.isComplete()).toBe(true);
    expect(stream.accept(1)).toBe(false);
  });

  it('counts empty frames and an empty transfer as complete', () => {
    const stream = new TransferStream(0, 4 * MiB);
    expect(stream.isComplete()).toBe(true);
    expect(stream.accept(0)).toBe(true);
    expect(stream.accept(1)).toBe(false);
  });

  it('pauses the sender above the high-water mark and resumes it below half of it', () => {
    const stream = new TransferStream(100 * MiB, 4 * MiB);
    expect(stream.backpressure(4 * MiB)).toBe('none');
    expect(stream.backpressure(4 * MiB + 1)).toBe('pause');
    expect(stream.senderPaused).toBe(true);
    expect(stream.backpressure(5 * MiB)).toBe('none');
    expect(stream.backpressure(2 * MiB)).toBe('none');
    expect(stream.backpressure(2 * MiB - 1)).toBe('resume');
    expect(stream.senderPaused).toBe(false);
    expect(stream.backpressure(3 * MiB)).toBe('none');
  });

  it('reports delivered bytes as those forwarded less the receiver’s buffer, never going back', () => {
    const stream = new TransferStream(100, 4 * MiB);
    stream.accept(60);
    expect(stream.deliveredBytes(100)).toBe(0);
    expect(stream.deliveredBytes(20)).toBe(40);
    expect(stream.deliveredBytes(30)).toBe(40);
    expect(stream.deliveredBytes(0)).toBe(60);
  });

  it('makes progress due at most every interval, and only when it moved', () => {
    const stream = new TransferStream(100, 4 * MiB, 250);
    stream.accept(10);
    expect(stream.progressDue(1_000, 0)).toBe(10);
    stream.accept(10);
    expect(stream.progressDue(1_100, 0)).toBeNull();
    expect(stream.progressDue(1_250, 0)).toBe(20);
    expect(stream.progressDue(1_600, 0)).toBeNull();
    stream.accept(5);
    expect(stream.progressDue(1_700, 0)).toBe(25);
  });

  describe('resumeAt', () => {
    it('counts again from the offset, still refusing bytes beyond the declared total', () => {
      const stream = new TransferStream(100, 4 * MiB);
      stream.accept(70);
      stream.resumeAt(40);
      expect(stream.receivedBytes).toBe(40);
      expect(stream.isComplete()).toBe(false);
      expect(stream.accept(61)).toBe(false);
      expect(stream.receivedBytes).toBe(40);
      expect(stream.accept(60)).toBe(true);
      expect(stream.isComplete()).toBe(true);
      expect(stream.accept(1)).toBe(false);
    });

    it('takes a receiver that holds everything as complete', () => {
      const stream = new TransferStream(100, 4 * MiB);
      stream.resumeAt(100);
      expect(stream.isComplete()).toBe(true);
      expect(stream.accept(1)).toBe(false);
    });

    it('reports delivered bytes from the offset, never below it, even going back from further on', () => {
      const stream = new TransferStream(100, 4 * MiB);
      stream.accept(80);
      expect(stream.deliveredBytes(0)).toBe(80);
      // The receiver kept only 30 of them: delivered starts over there, not at what the old socket got.
      stream.resumeAt(30);
      expect(stream.deliveredBytes(0)).toBe(30);
      stream.accept(20);
      expect(stream.deliveredBytes(1_000)).toBe(30);
      expect(stream.deliveredBytes(5)).toBe(45);
      expect(stream.deliveredBytes(20)).toBe(45);
    });

    it('no longer holds the sender paused', () => {
      const stream = new TransferStream(100 * MiB, 4 * MiB);
      expect(stream.backpressure(5 * MiB)).toBe('pause');
      stream.resumeAt(0);
      expect(stream.senderPaused).toBe(false);
      expect(stream.backpressure(3 * MiB)).toBe('none');
      expect(stream.backpressure(5 * MiB)).toBe('pause');
    });

    it('makes progress due again at the offset, even when it equals the last progress reported', () => {
      const stream = new TransferStream(100, 4 * MiB, 250);
      stream.accept(30);
      expect(stream.progressDue(1_000, 0)).toBe(30);
      stream.resumeAt(30);
      expect(stream.progressDue(1_250, 0)).toBe(30);
      expect(stream.progressDue(1_500, 0)).toBeNull();
    });
  });
});
