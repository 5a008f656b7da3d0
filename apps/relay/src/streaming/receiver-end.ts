import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import type { ServerEvent } from '../socket/socket-frames.js';

/**
 * Where a live stream sends its receiver's bytes and events: the receiving device's socket
 * on this replica (LocalReceiver), or a link to the replica that holds it (PeerLink).
 */
export interface ReceiverEnd {
  readonly isOpen: boolean;
  /** Bytes sent that the network has not taken yet: the backpressure signal. */
  readonly bufferedAmount: number;
  send(event: ServerEvent): void;
  sendBytes(frame: Buffer): void;
  /** Stops carrying this transfer: a link closes, a local socket stays open for everything else. */
  release(): void;
  /** Whether the receiving device's own frames come from `session` (a receiver on this replica). */
  isSession(session: DeviceSocketSession): boolean;
}

export class LocalReceiver implements ReceiverEnd {
  constructor(readonly session: DeviceSocketSession) {}

  get isOpen(): boolean {
    return this.session.isOpen;
  }

  get bufferedAmount(): number {
    return this.session.bufferedAmount;
  }

  send(event: ServerEvent): void {
    this.session.send(event);
  }

  sendBytes(frame: Buffer): void {
    this.session.sendBytes(frame);
  }

  release(): void {}

  isSession(session: DeviceSocketSession): boolean {
    return session === this.session;
  }
}
