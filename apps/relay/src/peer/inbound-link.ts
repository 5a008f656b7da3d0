import type { WebSocket } from 'ws';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import { rawBytes } from '../socket/socket-frames.js';
import { YoungGarbage } from '../streaming/young-garbage.js';
import { PEER_CLOSE_CODES, parsePeerFrame, type PeerTarget, type ReceiverAnswer } from './peer-protocol.js';

/** How often a paused link's receiver is looked at for having drained (ws emits no 'drain'). */
const DRAIN_POLL_MS = 10;

/** How an inbound link ended: the stream let it go or its receiver dropped (both fine), or the stream's replica vanished. */
export type InboundEnd = 'released' | 'receiver-gone' | 'owner-gone';

/**
 * The receiver's replica's end of a link (peer-protocol.ts): the stream's bytes and events go to
 * the receiving device's socket here, and the link is not read while that socket buffers more
 * than the high-water mark, so the stream's replica is held back by TCP.
 */
export class InboundLink {
  private paused = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private closingAs: InboundEnd | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly receiver: DeviceSocketSession,
    readonly target: PeerTarget,
    private readonly highWaterBytes: number,
    private readonly onEnd: (link: InboundLink, how: InboundEnd) => void,
    private readonly youngGarbage = new YoungGarbage(),
  ) {}

  start(): void {
    this.socket.on('error', () => undefined);
    this.socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const bytes = rawBytes(data);
        this.receiver.sendBytes(bytes);
        this.youngGarbage.relayed(bytes.length);
        this.holdBackIfBehind();
        return;
      }
      const frame = parsePeerFrame(data);
      if (frame?.type === 'deliver') this.receiver.send(frame.event);
    });
    this.socket.on('close', (code) => {
      clearTimeout(this.drainTimer);
      const how = this.closingAs ?? (code === PEER_CLOSE_CODES.released ? 'released' : 'owner-gone');
      this.onEnd(this, how);
    });
  }

  /** Passes the receiver's frame about the transfer up to the stream. */
  answer(answer: ReceiverAnswer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify({ type: 'answer', answer }));
  }

  /** The receiver's socket closed: the stream hears it (and may wait for a resume). */
  receiverGone(): void {
    this.close('receiver-gone', PEER_CLOSE_CODES.receiverGone);
  }

  /** A newer link carries the transfer now. */
  supersede(): void {
    this.close('released', PEER_CLOSE_CODES.superseded);
  }

  private close(how: InboundEnd, code: number): void {
    if (this.closingAs) return;
    this.closingAs = how;
    this.socket.resume();
    this.socket.close(code);
  }

  private holdBackIfBehind(): void {
    if (this.paused || this.receiver.bufferedAmount <= this.highWaterBytes) return;
    this.paused = true;
    this.socket.pause();
    const poll = () => {
      this.drainTimer = setTimeout(() => {
        if (this.closingAs) return;
        if (this.receiver.bufferedAmount < this.highWaterBytes / 2) {
          this.paused = false;
          this.socket.resume();
        } else {
          poll();
        }
      }, DRAIN_POLL_MS);
    };
    poll();
  }
}
