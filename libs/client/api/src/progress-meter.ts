export interface ProgressReading {
  /** 0–100, whole numbers. */
  percent: number;
  /** Bytes per second over the last few seconds; null until two readings exist. */
  bytesPerSecond: number | null;
  /** Seconds until done at that speed; null when the speed is unknown or zero. */
  secondsLeft: number | null;
}

/**
 * Speed and time left of a transfer from its progress events, averaged over a sliding window
 * so that bursty chunk acknowledgements do not make the numbers jump.
 */
export class ProgressMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5_000) {}

  /** Forget the history, e.g. after a pause: the time paused is no transfer speed. */
  reset(): void {
    this.samples = [];
  }

  record(bytesDone: number, bytesTotal: number, at: number): ProgressReading {
    this.samples.push({ at, bytes: bytesDone });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    const bytesPerSecond = this.samples.length > 1 && elapsed > 0 ? (bytesDone - first.bytes) / elapsed : null;
    const percent = bytesTotal > 0 ? Math.floor((bytesDone / bytesTotal) * 100) : 100;
    const secondsLeft = bytesPerSecond && bytesPerSecond > 0 ? (bytesTotal - bytesDone) / bytesPerSecond : null;
    return { percent, bytesPerSecond, secondsLeft };
  }
}
