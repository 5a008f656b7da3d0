import { ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { AccountEvents } from '../events/account-events.js';
import { ConnectedDevices } from '../socket/connected-devices.js';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import { CLOSE_CODES, type RelayInput } from '../socket/socket-frames.js';
import { toTransferJson } from '../transfers/transfer-json.js';
import type { TransferState } from '../transfers/transfer-state-machine.js';
import type { TransferEntity } from '../transfers/transfer.entity.js';
import { TransfersRepository, type TransitionChanges } from '../transfers/transfers.repository.js';
import { FRAME_ID_BYTES, frameTransferId } from './frame-id.js';
import { PROGRESS_INTERVAL_MS, TransferStream } from './transfer-stream.js';

/** How often a paused sender's receiver is looked at for having drained (ws emits no 'drain'). */
const DRAIN_POLL_MS = 10;

/** One relayed transfer whose two devices are both connected to this replica. */
interface LiveStream {
  transfer: TransferEntity;
  sender: DeviceSocketSession;
  receiver: DeviceSocketSession;
  stream: TransferStream;
  /** The sender said every byte is sent; the receiver's answer is awaited. */
  sent: boolean;
  /** Completed or failed already: nothing more is forwarded. */
  ending: boolean;
  drainTimer?: NodeJS.Timeout;
  progressTimer: NodeJS.Timeout;
}

/**
 * The relayed transfers live on this replica (api.md § Bytes, security-cases WS-02/WS-04): the
 * sender's binary frames go unchanged to the receiver's socket, counted against the declared
 * total and held back while the receiver is behind, then `transfer.sent` and `transfer.received`
 * end the transfer completed or failed. Both devices must be connected to THIS replica: a
 * receiver that is not is PEER_GONE; forwarding bytes to another replica is a later step.
 */
@Injectable()
export class RelaySessions implements OnModuleDestroy {
  private readonly logger = new Logger('relay-sessions');
  private readonly live = new Map<string, LiveStream>();
  /** Each socket's relay input in order: a frame waits while an earlier one reads the database. */
  private readonly queues = new WeakMap<DeviceSocketSession, Promise<void>>();
  private readonly highWaterBytes: number;

  constructor(
    private readonly repository: TransfersRepository,
    private readonly events: AccountEvents,
    private readonly connected: ConnectedDevices,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.highWaterBytes = config.RELAY_HIGH_WATER_BYTES;
  }

  handle(session: DeviceSocketSession, input: RelayInput): void {
    const previous = this.queues.get(session) ?? Promise.resolve();
    const next = previous
      .then(() => this.dispatch(session, input))
      .catch((error: unknown) => this.logger.error(`relayed ${input.type} failed: ${String(error)}`));
    this.queues.set(session, next);
  }

  /** A socket closed: every stream it was part of fails with PEER_GONE, and the other device hears of it. */
  socketClosed(session: DeviceSocketSession): void {
    for (const live of [...this.live.values()]) {
      if (live.sender === session || live.receiver === session) void this.fail(live, ErrorCode.PEER_GONE);
    }
  }

  onModuleDestroy(): void {
    for (const live of this.live.values()) this.stop(live);
  }

  private async dispatch(session: DeviceSocketSession, input: RelayInput): Promise<void> {
    if (!session.isOpen) return;
    switch (input.type) {
      case 'bytes': {
        const transferId = frameTransferId(input.data);
        if (!transferId) {
          session.refuse(CLOSE_CODES.forbidden, 'A binary frame starts with the id of a transfer this device sends');
          return;
        }
        const live = await this.streamOf(session, transferId);
        if (live) this.forward(live, input.data);
        return;
      }
      case 'transfer.sent': {
        const live = await this.streamOf(session, input.transferId);
        if (live) await this.sent(live, input.sha256);
        return;
      }
      case 'transfer.received':
        await this.received(session, input.transferId, input.ok);
        return;
    }
  }

  /** The live stream `session` sends for `transferId`, started on its first frame; null when refused. */
  private async streamOf(session: DeviceSocketSession, transferId: string): Promise<LiveStream | null> {
    const existing = this.live.get(transferId);
    if (existing) {
      if (existing.sender === session) return existing;
      session.refuse(CLOSE_CODES.forbidden, 'Not a transfer this device sends');
      return null;
    }
    // Nothing more is read from the sender while its transfer is looked up.
    session.holdReading();
    try {
      return await this.start(session, transferId);
    } finally {
      session.releaseReading();
    }
  }

  private async start(session: DeviceSocketSession, transferId: string): Promise<LiveStream | null> {
    const { ownerId, deviceId } = session.device;
    const transfer = await this.repository.findTransfer(ownerId, transferId);
    const sendable =
      transfer?.fromDeviceId === deviceId &&
      transfer.mode === 'relay' &&
      (transfer.status === 'accepted' || transfer.status === 'streaming');
    if (!transfer || !sendable) {
      session.refuse(CLOSE_CODES.forbidden, 'Not an accepted relay transfer this device sends');
      return null;
    }
    if (transfer.status === 'streaming') {
      // Streaming with no live stream here: it streams through another replica, or its sender
      // reconnected (transfer.resume is a later step).
      session.send({
        type: 'error',
        code: ErrorCode.TRANSFER_STATE_CONFLICT,
        message: 'The transfer is streaming, but not through this socket',
      });
      return null;
    }
    // Cross-replica forwarding is a later step: a receiver connected to another replica (or to
    // none) cannot get the bytes from here.
    const receiver = this.connected.sessionOf(ownerId, transfer.toDeviceId);
    if (!receiver) {
      await this.end(transfer, 'accepted', 'failed', { failureCode: ErrorCode.PEER_GONE, deliveredBytes: 0 });
      return null;
    }
    if (!(await this.repository.moveIfStill(ownerId, transferId, 'accepted', 'streaming'))) {
      session.send({
        type: 'error',
        code: ErrorCode.TRANSFER_STATE_CONFLICT,
        message: 'The transfer is no longer accepted',
      });
      return null;
    }
    const live: LiveStream = {
      transfer,
      sender: session,
      receiver,
      stream: new TransferStream(transfer.totalBytes, this.highWaterBytes),
      sent: false,
      ending: false,
      progressTimer: setInterval(() => this.progress(live), PROGRESS_INTERVAL_MS),
    };
    this.live.set(transferId, live);
    // Either socket may have closed while the database was asked.
    if (!session.isOpen || !receiver.isOpen) {
      await this.fail(live, ErrorCode.PEER_GONE);
      return null;
    }
    return live;
  }

  private forward(live: LiveStream, frame: Buffer): void {
    if (live.ending) return;
    if (live.sent || !live.stream.accept(frame.length - FRAME_ID_BYTES)) {
      void this.fail(live, ErrorCode.TRANSFER_SIZE_MISMATCH);
      return;
    }
    live.receiver.sendBytes(frame);
    if (live.stream.backpressure(live.receiver.bufferedAmount) === 'pause') {
      live.sender.holdReading();
      this.awaitDrain(live);
    }
  }

  /** Polls the receiver of a paused sender until it drained below half the mark, then reads the sender again. */
  private awaitDrain(live: LiveStream): void {
    live.drainTimer = setTimeout(() => {
      live.drainTimer = undefined;
      if (live.ending) return;
      if (live.stream.backpressure(live.receiver.bufferedAmount) === 'resume') live.sender.releaseReading();
      else this.awaitDrain(live);
    }, DRAIN_POLL_MS);
  }

  private progress(live: LiveStream): void {
    const bytes = live.stream.progressDue(Date.now(), live.receiver.bufferedAmount);
    if (bytes !== null) live.sender.send({ type: 'transfer.progress', transferId: live.transfer.id, bytes });
  }

  private async sent(live: LiveStream, sha256: string[]): Promise<void> {
    if (live.ending) return;
    if (live.sent) {
      live.sender.send({
        type: 'error',
        code: ErrorCode.TRANSFER_STATE_CONFLICT,
        message: 'transfer.sent came already',
      });
      return;
    }
    if (sha256.length !== live.transfer.files.length) {
      live.sender.send({
        type: 'error',
        code: ErrorCode.VALIDATION_FAILED,
        message: `transfer.sent needs ${live.transfer.files.length} checksums, one per file`,
      });
      return;
    }
    if (!live.stream.isComplete()) {
      await this.fail(live, ErrorCode.TRANSFER_SIZE_MISMATCH);
      return;
    }
    live.sent = true;
    live.receiver.send({ type: 'transfer.sent', transferId: live.transfer.id, sha256 });
  }

  private async received(session: DeviceSocketSession, transferId: string, ok: boolean): Promise<void> {
    const live = this.live.get(transferId);
    if (live && live.receiver !== session) {
      session.refuse(CLOSE_CODES.forbidden, 'Not a transfer this device receives');
      return;
    }
    if (!live?.sent || live.ending) {
      session.send({
        type: 'error',
        code: ErrorCode.TRANSFER_STATE_CONFLICT,
        message: 'No relayed transfer awaits this device’s answer',
      });
      return;
    }
    const total = live.transfer.totalBytes;
    if (ok) await this.finish(live, 'completed', { deliveredBytes: total });
    else await this.finish(live, 'failed', { failureCode: ErrorCode.CHECKSUM_MISMATCH, deliveredBytes: total });
  }

  private fail(live: LiveStream, code: ErrorCode): Promise<void> {
    const deliveredBytes = live.stream.deliveredBytes(live.receiver.bufferedAmount);
    return this.finish(live, 'failed', { failureCode: code, deliveredBytes });
  }

  private async finish(live: LiveStream, to: 'completed' | 'failed', changes: TransitionChanges): Promise<void> {
    if (live.ending) return;
    live.ending = true;
    this.stop(live);
    await this.end(live.transfer, 'streaming', to, changes);
  }

  private stop(live: LiveStream): void {
    this.live.delete(live.transfer.id);
    clearInterval(live.progressTimer);
    clearTimeout(live.drainTimer);
    if (live.stream.senderPaused) live.sender.releaseReading();
  }

  /**
   * Moves the transfer (one conditional UPDATE) and tells both devices, on every replica. A move
   * that loses (a device cancelled meanwhile) is not announced: the winner announced its own.
   */
  private async end(
    transfer: TransferEntity,
    from: TransferState,
    to: 'completed' | 'failed',
    changes: TransitionChanges,
  ): Promise<void> {
    const { ownerId, id } = transfer;
    if (!(await this.repository.moveIfStill(ownerId, id, from, to, changes))) return;
    const moved = await this.repository.findTransfer(ownerId, id);
    if (!moved) return;
    await this.events.publish({
      ownerId,
      deviceIds: [moved.fromDeviceId, moved.toDeviceId],
      event: { type: `transfer.${to}`, transfer: toTransferJson(moved, await this.repository.now()) },
    });
  }
}
