import { isTransferEvent, type ClientEvent, type ServerEvent, type TransferView } from './events.js';
import { IncomingFiles } from './file-digests.js';
import { unprefixFrame } from './frames.js';
import { sendFiles, type FileSource, type SendFilesOptions } from './send-files.js';

/** The socket as the streams use it (a RelayConnection fits). */
export interface RelayChannel {
  readonly bufferedAmount: number;
  send(event: ClientEvent): boolean;
  sendFrame(frame: Uint8Array): boolean;
}

/** A received file whose checksum matched: its bytes, in the order they came. */
export interface ReceivedFile {
  name: string;
  mimeType: string;
  size: number;
  chunks: Uint8Array[];
}

export interface TransferStreamsOptions {
  deviceId: string;
  channel: RelayChannel;
  /** Bytes moved so far: for the sender what the relay confirmed, for the receiver what arrived. */
  onProgress?: (transferId: string, bytes: number) => void;
  /** Every file of an incoming transfer arrived and matched its SHA-256. */
  onReceived?: (transfer: TransferView, files: ReceivedFile[]) => void;
  /** The bytes that came do not match what the sender declared (the transfer then fails). */
  onMismatch?: (transferId: string) => void;
  /** Told for each transfer this device starts to send. */
  sendOptions?: Omit<SendFilesOptions, 'from' | 'signal' | 'onFrame'>;
}

interface Outgoing {
  transfer: TransferView | null;
  files: readonly FileSource[];
  /** Stops the stream under way, if any. */
  sending: AbortController | null;
}

interface Incoming {
  transfer: TransferView;
  files: IncomingFiles;
  /** Each file's pieces; they are views on the received frames, not copies. */
  chunks: Uint8Array[][];
  reported: number;
}

/** The receiver reports progress at most every this many bytes (and at the end). */
const PROGRESS_STEP = 256 * 1024;
const ENDED = new Set(['completed', 'rejected', 'cancelled', 'expired', 'failed']);

/**
 * The bytes of relayed transfers for one device (docs/api.md § WebSocket "Bytes (mode relay)"):
 * sends the files of its own offers once accepted, takes in the files offered to it, checks their
 * SHA-256 and answers `transfer.received`, and picks up a stream after a dropped socket (resume).
 * Framework-agnostic: it knows nothing of the page, only the channel and the callbacks.
 */
export class TransferStreams {
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly incoming = new Map<string, Incoming>();

  constructor(private readonly options: TransferStreamsOptions) {}

  /** The files of an offer this device made: they are sent once the other device accepts. */
  offer(transferId: string, files: readonly FileSource[]): void {
    this.outgoing.set(transferId, { transfer: null, files, sending: null });
  }

  /** Whether this device holds the files of an outgoing transfer (a reload forgets them). */
  hasFiles(transferId: string): boolean {
    return this.outgoing.has(transferId);
  }

  handle(event: ServerEvent): void {
    if (isTransferEvent(event)) {
      this.onTransfer(event.transfer);
      return;
    }
    switch (event.type) {
      case 'transfer.progress':
        if (this.outgoing.has(event.transferId)) this.options.onProgress?.(event.transferId, event.bytes);
        break;
      case 'transfer.sent':
        this.onSent(event.transferId, event.sha256);
        break;
      case 'transfer.resume':
        this.onResume(event.transferId, event.offset);
        break;
      case 'error':
        // The other device dropped mid-stream: stop sending into the void and wait for its resume.
        if (event.code === 'PEER_GONE' && event.transferId) this.stopSending(event.transferId);
        break;
    }
  }

  /** A binary frame from the socket. */
  receiveFrame(frame: Uint8Array): void {
    const unprefixed = unprefixFrame(frame);
    const stream = unprefixed && this.incoming.get(unprefixed.transferId);
    if (!stream) return;
    let parts;
    try {
      parts = stream.files.take(unprefixed.payload);
    } catch {
      return; // more than declared: the relay fails the transfer with TRANSFER_SIZE_MISMATCH
    }
    for (const part of parts) stream.chunks[part.file]!.push(part.bytes);
    const received = stream.files.received;
    if (received - stream.reported >= PROGRESS_STEP || stream.files.complete) {
      stream.reported = received;
      this.options.onProgress?.(stream.transfer.id, received);
    }
  }

  /** The socket dropped: every stream waits for its resume (the relay holds the transfer for a while). */
  connectionLost(): void {
    for (const id of this.outgoing.keys()) this.stopSending(id);
  }

  /** Bytes an incoming transfer has taken so far. */
  receivedBytes(transferId: string): number {
    return this.incoming.get(transferId)?.files.received ?? 0;
  }

  private onTransfer(transfer: TransferView): void {
    if (transfer.mode !== 'relay') return;
    if (ENDED.has(transfer.status)) {
      this.stopSending(transfer.id);
      this.outgoing.delete(transfer.id);
      this.incoming.delete(transfer.id);
      return;
    }
    if (transfer.status !== 'accepted') return;
    const { deviceId } = this.options;
    const outgoing = this.outgoing.get(transfer.id);
    if (transfer.fromDeviceId === deviceId && outgoing && !outgoing.sending) {
      outgoing.transfer = transfer;
      this.startSending(transfer.id, 0);
    } else if (transfer.toDeviceId === deviceId && !this.incoming.has(transfer.id)) {
      const sizes = transfer.files.map((file) => file.size);
      this.incoming.set(transfer.id, {
        transfer,
        files: new IncomingFiles(sizes),
        chunks: sizes.map(() => []),
        reported: 0,
      });
    }
  }

  private startSending(transferId: string, from: number): void {
    const outgoing = this.outgoing.get(transferId);
    if (!outgoing) return;
    const sending = new AbortController();
    outgoing.sending = sending;
    const { channel } = this.options;
    const sink = {
      get bufferedAmount() {
        return channel.bufferedAmount;
      },
      sendFrame: (frame: Uint8Array) => void channel.sendFrame(frame),
    };
    void sendFiles(sink, transferId, outgoing.files, {
      ...this.options.sendOptions,
      from,
      signal: sending.signal,
    }).then(
      (sha256) => {
        if (!sha256 || sending.signal.aborted) return;
        outgoing.sending = null;
        channel.send({ type: 'transfer.sent', transferId, sha256 });
      },
      () => {
        // A file that cannot be read any more (moved, or permission gone): the relay fails the
        // transfer when its bytes stop; the person can cancel at once.
        outgoing.sending = null;
      },
    );
  }

  private stopSending(transferId: string): void {
    const outgoing = this.outgoing.get(transferId);
    outgoing?.sending?.abort();
    if (outgoing) outgoing.sending = null;
  }

  private onSent(transferId: string, sha256: string[]): void {
    const stream = this.incoming.get(transferId);
    if (!stream) return;
    const digests = stream.files.complete ? stream.files.digests() : null;
    const ok =
      digests !== null && digests.length === sha256.length && digests.every((hex, index) => hex === sha256[index]);
    this.options.channel.send({ type: 'transfer.received', transferId, ok });
    this.incoming.delete(transferId);
    if (!ok) {
      this.options.onMismatch?.(transferId);
      return;
    }
    const files = stream.transfer.files.map((file, index) => ({
      name: file.name,
      mimeType: file.mimeType,
      size: file.size,
      chunks: stream.chunks[index]!,
    }));
    this.options.onReceived?.(stream.transfer, files);
  }

  private onResume(transferId: string, offset: number): void {
    const stream = this.incoming.get(transferId);
    if (stream) {
      // Receiver: answer with the bytes actually held, so the sender goes on from there.
      this.options.channel.send({ type: 'transfer.resume', transferId, offset: stream.files.received });
      return;
    }
    if (!this.outgoing.has(transferId)) return;
    // Sender: echo the offset, then send from it; bytes of the interrupted stream are dropped by the relay.
    this.stopSending(transferId);
    this.options.channel.send({ type: 'transfer.resume', transferId, offset });
    this.startSending(transferId, offset);
  }
}
