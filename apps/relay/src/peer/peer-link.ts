import WebSocket from 'ws';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import type { ServerEvent } from '../socket/socket-frames.js';
import type { ReceiverEnd } from '../streaming/receiver-end.js';
import {
  PEER_CLOSE_CODES,
  PEER_SECRET_HEADER,
  parsePeerFrame,
  peerLinkUrl,
  type PeerTarget,
  type ReceiverAnswer,
} from './peer-protocol.js';

/** Why a link ended that this side did not release. */
export type LinkLoss = 'receiver-gone' | 'superseded' | 'replica-gone';

function lossOf(code: number): LinkLoss {
  if (code === PEER_CLOSE_CODES.receiverGone) return 'receiver-gone';
  if (code === PEER_CLOSE_CODES.superseded) return 'superseded';
  return 'replica-gone';
}

export interface PeerLinkEvents {
  /** The receiving device sent a frame about the transfer. */
  answer(answer: ReceiverAnswer): void;
  /** The link closed under the stream: its receiver dropped (it may come back), a newer link took over, or its replica vanished. */
  lost(reason: LinkLoss): void;
}

/** How long opening a link may take before the receiver counts as not reachable. */
const OPEN_TIMEOUT_MS = 5_000;

/**
 * The stream-holding replica's end of a link to the replica with the receiving device's socket
 * (peer-protocol.ts). To the stream it is the receiver: bytes and events go down it, and its
 * bufferedAmount grows once the other replica stops reading (its receiver is behind).
 */
export class PeerLink implements ReceiverEnd {
  private released = false;
  private events: PeerLinkEvents | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const frame = isBinary ? null : parsePeerFrame(data);
      if (frame?.type === 'answer') this.events?.answer(frame.answer);
    });
    socket.on('close', (code) => {
      if (this.released) return;
      this.released = true;
      this.events?.lost(lossOf(code));
    });
  }

  /**
   * Opens a link to `replica` for `target`; null when the receiver is not connected there (any
   * more), or the replica cannot be reached in time.
   */
  static open(replica: string, target: PeerTarget, secret: string): Promise<PeerLink | null> {
    return new Promise((resolve) => {
      const socket = new WebSocket(peerLinkUrl(replica, target), {
        headers: { [PEER_SECRET_HEADER]: secret },
        perMessageDeflate: false,
        handshakeTimeout: OPEN_TIMEOUT_MS,
        // A client's frames must be masked (RFC 6455), which costs a copy of every relayed byte.
        // Masking guards browsers' traffic against caching proxies; this link runs between two
        // replicas, authenticated by its secret, so an all-zero mask (which ws sends unchanged,
        // and the other side's ws does not unmask) carries the bytes as they are.
        generateMask: (mask) => mask.fill(0),
      });
      const refused = () => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        resolve(null);
      };
      socket.once('unexpected-response', refused);
      socket.once('error', refused);
      socket.once('open', () => {
        socket.removeListener('unexpected-response', refused);
        socket.removeListener('error', refused);
        // Errors end in 'close', which tells the stream.
        socket.on('error', () => undefined);
        resolve(new PeerLink(socket));
      });
    });
  }

  /** Who hears of the receiver's answers and of the link's loss (set once the stream is made). */
  listen(events: PeerLinkEvents): void {
    this.events = events;
  }

  get isOpen(): boolean {
    return !this.released && this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(event: ServerEvent): void {
    if (this.isOpen) this.socket.send(JSON.stringify({ type: 'deliver', event }));
  }

  sendBytes(frame: Buffer): void {
    if (this.isOpen) this.socket.send(frame);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.socket.close(PEER_CLOSE_CODES.released);
  }

  isSession(_session: DeviceSocketSession): boolean {
    return false;
  }
}
