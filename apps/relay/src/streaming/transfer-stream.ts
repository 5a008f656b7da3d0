/** What the relay does with the sender after a frame went to the receiver (or on a poll). */
export type SenderAction = 'pause' | 'resume' | 'none';

/** api.md: `transfer.progress` at most ~4 per second. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * One relayed transfer's byte accounting and backpressure decisions, with no socket in it: how
 * many payload bytes the sender sent against the declared total, how many have left for the
 * receiver, whether the sender must stop (or may start again) being read, and when progress is
 * due. The caller reads the receiver socket's `bufferedAmount` and acts on the answers.
 *
 * Backpressure (security-cases WS-04): above the high-water mark of bytes buffered for the
 * receiver the sender is paused; it is resumed once the receiver drained below half of it. Since
 * the decision follows every forwarded frame, the relay holds at most the mark plus what one read
 * of the paused sender still hands over (one frame).
 */
export class TransferStream {
  private received = 0;
  private delivered = 0;
  private paused = false;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private lastProgressBytes = -1;

  constructor(
    readonly totalBytes: number,
    readonly highWaterBytes: number,
    private readonly progressIntervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  /**
   * Starts counting again at `offset` (api.md § Resume: the receiver holds that many bytes and
   * the sender continues from there). The sender is not paused by this stream any more.
   */
  resumeAt(offset: number): void {
    this.received = offset;
    this.delivered = offset;
    this.paused = false;
    this.lastProgressBytes = -1;
  }

  /** Counts a frame's payload; false (nothing counted) when it would pass the declared total. */
  accept(payloadBytes: number): boolean {
    if (this.received + payloadBytes > this.totalBytes) return false;
    this.received += payloadBytes;
    return true;
  }

  get receivedBytes(): number {
    return this.received;
  }

  /** Whether the sender sent exactly the declared bytes (checked on `transfer.sent`). */
  isComplete(): boolean {
    return this.received === this.totalBytes;
  }

  get senderPaused(): boolean {
    return this.paused;
  }

  /** Whether to pause or resume the sender, given what the receiver's socket still buffers. */
  backpressure(receiverBuffered: number): SenderAction {
    if (!this.paused && receiverBuffered > this.highWaterBytes) {
      this.paused = true;
      return 'pause';
    }
    if (this.paused && receiverBuffered < this.highWaterBytes / 2) {
      this.paused = false;
      return 'resume';
    }
    return 'none';
  }

  /**
   * Payload bytes that left for the receiver: those forwarded less what its socket still buffers
   * (which also holds frame prefixes and events, so this errs low); it never goes back.
   */
  deliveredBytes(receiverBuffered: number): number {
    this.delivered = Math.max(this.delivered, Math.min(this.received, this.received - receiverBuffered));
    return this.delivered;
  }

  /** The bytes to report in `transfer.progress` at `now`, or null when it is too soon or nothing moved. */
  progressDue(now: number, receiverBuffered: number): number | null {
    if (now - this.lastProgressAt < this.progressIntervalMs) return null;
    const bytes = this.deliveredBytes(receiverBuffered);
    if (bytes === this.lastProgressBytes) return null;
    this.lastProgressAt = now;
    this.lastProgressBytes = bytes;
    return bytes;
  }
}
