import { ErrorCode } from '@lexy/server-errors';
import { METRIC, ServiceMetrics, type Counter } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import type { DownloadGate } from '@lexy/server-throttle';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { AccountEvents, type AccountEvent } from '../events/account-events.js';
import { InboundLink, type InboundEnd } from '../peer/inbound-link.js';
import { PeerLink } from '../peer/peer-link.js';
import { PEER_CLOSE_CODES, type PeerTarget, type ReceiverAnswer } from '../peer/peer-protocol.js';
import { SocketLocations } from '../presence/socket-locations.js';
import { RelayThrottle } from '../throttle/relay-throttle.js';
import { ConnectedDevices } from '../socket/connected-devices.js';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import { CLOSE_CODES, type RelayInput, type ServerEvent } from '../socket/socket-frames.js';
import type { TransferEntity } from '../transfers/transfer.entity.js';
import { TransfersRepository } from '../transfers/transfers.repository.js';
import { FRAME_ID_BYTES, frameTransferId } from './frame-id.js';
import { LocalReceiver, type ReceiverEnd } from './receiver-end.js';
import { StreamLeases } from './stream-leases.js';
import { StreamNotices, type ReceiverBack } from './stream-notices.js';
import { TransferEndings, type StreamOutcome } from './transfer-endings.js';
import { PROGRESS_INTERVAL_MS, TransferStream } from './transfer-stream.js';
import { YoungGarbage } from './young-garbage.js';

/** How often a paused sender's receiver is looked at for having drained (ws emits no 'drain'). */
const DRAIN_POLL_MS = 10;

/** Events that end a transfer: a stream still live for it stops (a device cancelled it over REST, say). */
const ENDING_EVENTS = new Set(['transfer.completed', 'transfer.failed', 'transfer.cancelled', 'transfer.rejected']);

/**
 * How long a stream that ended keeps its sockets busy at most, waiting for its ending event to
 * come back from Redis and reach them (a draining replica closes them only after that).
 */
const SETTLE_MS = 5_000;

/** Sockets of a stream that ended, until both devices heard how (or SETTLE_MS passed). */
interface Settling {
  sessions: DeviceSocketSession[];
  timer: NodeJS.Timeout;
}

/**
 * Where a live stream is:
 * - receiver-offset: resuming, the receiver is asked how many bytes it holds;
 * - sender-offset: the sender is told where to continue, and its answer is awaited (every byte
 *   it sends before that answer belongs to the interrupted stream and is dropped);
 * - flowing: bytes go through;
 * - sent: the sender said every byte is sent; the receiver's verdict is awaited.
 */
type Phase = 'receiver-offset' | 'sender-offset' | 'flowing' | 'sent';

/** One relayed transfer whose bytes enter through this replica (its sender is connected here). */
interface LiveStream {
  transfer: TransferEntity;
  sender: DeviceSocketSession;
  receiver: ReceiverEnd;
  stream: TransferStream;
  phase: Phase;
  /** Stopped already: nothing more is forwarded or ended. */
  ending: boolean;
  drainTimer?: NodeJS.Timeout;
  progressTimer: NodeJS.Timeout;
  /** The group's download speed on the relayed bytes (none for an unlimited group). */
  gate: DownloadGate | undefined;
  /** While the sender is paused: since when the receiver took nothing, and what it buffered then (WS-04). */
  stall?: { sinceMs: number; buffered: number };
}

const conflict = (message: string, transferId?: string): ServerEvent => ({
  type: 'error',
  code: ErrorCode.TRANSFER_STATE_CONFLICT,
  message,
  ...(transferId && { transferId }),
});

/**
 * The relayed transfers (api.md § Bytes and § Resume, ADR 0008). A stream lives on the replica
 * its sender is connected to: the sender's binary frames go unchanged to the receiver — its
 * socket here, or a link to the replica that holds it — counted against the declared total and
 * held back while the receiver is behind; `transfer.sent` and `transfer.received` end it
 * completed or failed. A device that drops leaves the transfer `streaming` for the resume
 * window: when it is back, the receiver says how many bytes it holds and the sender continues
 * from there. A replica that vanishes fails its streams (its links close, its leases lapse).
 */
@Injectable()
export class RelaySessions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('relay-sessions');
  private readonly live = new Map<string, LiveStream>();
  /**
   * Transfers whose stream stopped under their sender here (the receiver dropped, or it ended):
   * the sender's frames still under way are dropped quietly until it resumes or its socket closes.
   */
  private readonly waiting = new Map<string, DeviceSocketSession>();
  /** Links carrying other replicas' streams to receivers connected here, by transfer id. */
  private readonly inbound = new Map<string, InboundLink>();
  /** Each socket's relay input in order: a frame waits while an earlier one reads the database. */
  private readonly queues = new WeakMap<DeviceSocketSession, Promise<void>>();
  /** The resumes of one transfer, one after another. */
  private readonly resumes = new Map<string, Promise<void>>();
  /** Streams that ended here, by transfer id, whose sockets still wait for the ending event. */
  private readonly settling = new Map<string, Settling>();
  /** Transfers whose ending event this replica heard within SETTLE_MS (it may come before a link's close). */
  private readonly heardEndings = new Set<string>();
  /** Who hears that a stream or link ended (a draining replica then closes the sockets it freed). */
  private readonly quietListeners = new Set<() => void>();
  private readonly relayedBytes: Counter<'receiver'>;
  private readonly youngGarbage = new YoungGarbage();

  constructor(
    private readonly repository: TransfersRepository,
    private readonly endings: TransferEndings,
    private readonly leases: StreamLeases,
    private readonly notices: StreamNotices,
    private readonly events: AccountEvents,
    private readonly connected: ConnectedDevices,
    private readonly locations: SocketLocations,
    private readonly throttle: RelayThrottle,
    @Inject(RELAY_CONFIG) private readonly config: RelayConfig,
    private readonly shutdown: ShutdownState,
    metrics: ServiceMetrics,
  ) {
    this.relayedBytes = metrics.counter({
      name: METRIC.relayRelayedBytes,
      help: 'Payload bytes relayed from senders connected to this replica, by where the receiver is (local or peer).',
      labelNames: ['receiver'],
    });
    const live = this.live;
    metrics.gauge({
      name: METRIC.relaySessions,
      help: 'Relayed streams this replica holds (their senders are connected here).',
      collect() {
        this.set(live.size);
      },
    });
  }

  onModuleInit(): void {
    this.events.onEvent((event) => this.transferEvent(event));
    this.notices.onReceiverBack((notice) => this.receiverBack(notice));
  }

  /**
   * The devices' sockets close with this replica: its streams wait the resume window for their
   * senders to come back through another replica, as after any dropped socket.
   */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.live.values()].map((live) => this.interrupt(live, 'sender').catch(() => undefined)));
  }

  /** Relayed streams this replica holds now. */
  get liveCount(): number {
    return this.live.size;
  }

  /**
   * Whether `session` carries a running transfer: it sends or receives a stream held here, it
   * receives one over a peer link, or its stream just ended and its ending event is on its way.
   */
  isBusy(session: DeviceSocketSession): boolean {
    for (const live of this.live.values()) if (live.sender === session || live.receiver.isSession(session)) return true;
    for (const link of this.inbound.values()) if (link.receiver === session) return true;
    for (const settling of this.settling.values()) if (settling.sessions.includes(session)) return true;
    return false;
  }

  /** Calls `listener` whenever a stream, a link or a settling ends; returns how to stop. */
  onQuiet(listener: () => void): () => void {
    this.quietListeners.add(listener);
    return () => this.quietListeners.delete(listener);
  }

  /** This replica shuts down: the streams it receives for other replicas hear their receivers left. */
  receiversLeaving(): void {
    for (const link of this.inbound.values()) link.receiverGone();
  }

  handle(session: DeviceSocketSession, input: RelayInput): void {
    const previous = this.queues.get(session) ?? Promise.resolve();
    const next = previous
      .then(() => this.dispatch(session, input))
      .catch((error: unknown) => this.logger.error(`relayed ${input.type} failed: ${String(error)}`));
    this.queues.set(session, next);
  }

  /** A device's socket is ready (its location recorded): the streams it was part of resume. */
  async deviceReady(session: DeviceSocketSession): Promise<void> {
    const { ownerId, deviceId } = session.device;
    for (const transfer of await this.repository.findStreamingOf(ownerId, deviceId)) {
      if (transfer.mode !== 'relay') continue;
      // The sender's replica holds the stream: a sender back here resumes it here; a receiver
      // back anywhere tells every replica, and the one with the sender resumes it.
      if (transfer.fromDeviceId === deviceId) this.resume(ownerId, transfer.id);
      else await this.notices.receiverBack({ ownerId, transferId: transfer.id });
    }
  }

  /** A socket closed: its streams wait for it to come back (or fail once the resume window ends). */
  socketClosed(session: DeviceSocketSession): void {
    for (const live of [...this.live.values()]) {
      if (live.sender === session) void this.interrupt(live, 'sender');
      else if (live.receiver.isSession(session)) void this.interrupt(live, 'receiver');
    }
    for (const link of this.inbound.values()) if (link.receiver === session) link.receiverGone();
    for (const [transferId, sender] of this.waiting) if (sender === session) this.waiting.delete(transferId);
  }

  /** Another replica's stream for a receiver connected here (the peer server checked the link's secret). */
  attachInbound(socket: WebSocket, target: PeerTarget): void {
    const receiver = this.connected.sessionOf(target.ownerId, target.deviceId);
    if (!receiver) {
      socket.close(PEER_CLOSE_CODES.receiverNotHere);
      return;
    }
    // A resume through another replica replaces whatever carried this transfer so far.
    const current = this.live.get(target.transferId);
    if (current) this.supersede(current);
    this.inbound.get(target.transferId)?.supersede();
    const link = new InboundLink(
      socket,
      receiver,
      target,
      this.config.RELAY_HIGH_WATER_BYTES,
      (ended, how) => this.inboundEnded(ended, how),
      this.youngGarbage,
    );
    this.inbound.set(target.transferId, link);
    link.start();
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
        const live = this.live.get(transferId) ?? (await this.startOnFirstFrame(session, transferId));
        if (!live) return;
        if (live.sender !== session) {
          session.refuse(CLOSE_CODES.forbidden, 'Not a transfer this device sends');
          return;
        }
        // Before the sender's answer to transfer.resume: bytes of the interrupted stream.
        if (live.phase === 'flowing' || live.phase === 'sent') await this.forward(live, input.data);
        return;
      }
      case 'transfer.sent': {
        const live = this.live.get(input.transferId);
        if (live && live.sender !== session) session.refuse(CLOSE_CODES.forbidden, 'Not a transfer this device sends');
        else if (live) await this.sent(live, input.sha256);
        else session.send(conflict('No relayed stream of this device is under way', input.transferId));
        return;
      }
      case 'transfer.received':
      case 'transfer.resume':
        await this.answer(session, input);
        return;
    }
  }

  /** transfer.received (receiver) or transfer.resume (either device), wherever the stream lives. */
  private async answer(session: DeviceSocketSession, input: ReceiverAnswer): Promise<void> {
    const live = this.live.get(input.transferId);
    if (live?.sender === session && input.type === 'transfer.resume') {
      this.senderResumed(live, input.offset);
      return;
    }
    if (live?.receiver.isSession(session)) {
      await this.fromReceiver(live, input);
      return;
    }
    const link = this.inbound.get(input.transferId);
    if (link?.receiver === session) {
      link.answer(input);
      return;
    }
    if (live) {
      session.refuse(CLOSE_CODES.forbidden, 'Not a transfer this device receives');
      return;
    }
    session.send(conflict('No relayed transfer of this device awaits that frame', input.transferId));
  }

  /** The stream `session` sends for `transferId`, started on its first frame; null when refused or dropped. */
  private async startOnFirstFrame(session: DeviceSocketSession, transferId: string): Promise<LiveStream | null> {
    if (this.waiting.get(transferId) === session) return null;
    // Nothing more is read from the sender while its transfer is looked up.
    session.holdReading();
    try {
      return await this.start(session, transferId);
    } finally {
      session.releaseReading();
    }
  }

  private async start(session: DeviceSocketSession, transferId: string): Promise<LiveStream | null> {
    if (this.shutdown.draining) {
      // A draining replica starts no stream; once this socket was closed, the device sends again elsewhere.
      this.waiting.set(transferId, session);
      session.send({
        type: 'error',
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: 'This relay is restarting; send again once connected anew',
        transferId,
      });
      return null;
    }
    const { ownerId, deviceId } = session.device;
    const transfer = await this.repository.findTransfer(ownerId, transferId);
    const own = transfer?.fromDeviceId === deviceId && transfer.mode === 'relay';
    if (!transfer || !own || transfer.status === 'pending' || transfer.status === 'rejected') {
      session.refuse(CLOSE_CODES.forbidden, 'Not an accepted relay transfer this device sends');
      return null;
    }
    if (transfer.status !== 'accepted') {
      // Bytes still under way for a stream that waits for a resume, or that just ended (a
      // cancel, a failure): the sender hears of it once, and the rest is dropped quietly.
      this.waiting.set(transferId, session);
      const waits = transfer.status === 'streaming';
      session.send(
        conflict(
          waits ? 'The transfer waits for transfer.resume before any more bytes' : `The transfer is ${transfer.status}`,
          transferId,
        ),
      );
      return null;
    }
    const receiver = await this.openReceiver(transfer);
    if (!receiver) {
      await this.endings.end(transfer, 'accepted', 'failed', { failureCode: ErrorCode.PEER_GONE, deliveredBytes: 0 });
      return null;
    }
    const gate = await this.gateFor(session);
    if (gate === null) {
      receiver.release();
      session.send({
        type: 'error',
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: 'The relay cannot start streams right now; send again in a moment',
        transferId,
      });
      return null;
    }
    const streamLease = { replica: this.locations.self, seconds: this.config.RELAY_STREAM_LEASE_SECONDS };
    if (!(await this.repository.moveIfStill(ownerId, transferId, 'accepted', 'streaming', { streamLease }))) {
      receiver.release();
      void gate?.close();
      session.send(conflict('The transfer is no longer accepted', transferId));
      return null;
    }
    const live = this.track(transfer, session, receiver, 'flowing', gate);
    // Either socket may have closed while the database was asked.
    if (!session.isOpen || !receiver.isOpen) {
      await this.fail(live, ErrorCode.PEER_GONE);
      return null;
    }
    return live;
  }

  /** The receiving device's end: its socket here, else a link to the replica holding it; null when it is not connected. */
  private async openReceiver(transfer: TransferEntity): Promise<ReceiverEnd | null> {
    const { ownerId, toDeviceId, id } = transfer;
    const local = this.connected.sessionOf(ownerId, toDeviceId);
    if (local) return new LocalReceiver(local);
    const replica = await this.locations.replicaOf(toDeviceId);
    if (!replica || replica === this.locations.self) return null;
    const target = { transferId: id, ownerId, deviceId: toDeviceId };
    return PeerLink.open(replica, target, this.config.INTERNAL_CALLER_SECRET);
  }

  /**
   * The gate of the sender's group (relayed bytes count like downloads, in the same bucket);
   * null when the group's limits cannot be read now: no stream starts unthrottled.
   */
  private async gateFor(sender: DeviceSocketSession): Promise<DownloadGate | undefined | null> {
    const { ownerId, group } = sender.device;
    try {
      return await this.throttle.gateFor(ownerId, group);
    } catch (error) {
      this.logger.warn(`no speed limit for group ${group} right now: ${String(error)}`);
      return null;
    }
  }

  private track(
    transfer: TransferEntity,
    sender: DeviceSocketSession,
    receiver: ReceiverEnd,
    phase: Phase,
    gate: DownloadGate | undefined,
  ) {
    const live: LiveStream = {
      gate,
      transfer,
      sender,
      receiver,
      stream: new TransferStream(transfer.totalBytes, this.config.RELAY_HIGH_WATER_BYTES),
      phase,
      ending: false,
      progressTimer: setInterval(() => this.progress(live), PROGRESS_INTERVAL_MS),
    };
    this.live.set(transfer.id, live);
    this.leases.hold(transfer.id);
    if (receiver instanceof PeerLink) {
      receiver.listen({
        answer: (answer) => void this.fromReceiver(live, answer).catch((error: unknown) => this.logger.error(error)),
        lost: (reason) => {
          if (reason === 'receiver-gone') void this.interrupt(live, 'receiver');
          else if (reason === 'superseded') this.supersede(live);
          else void this.fail(live, ErrorCode.PEER_GONE);
        },
      });
    }
    return live;
  }

  private async forward(live: LiveStream, frame: Buffer): Promise<void> {
    if (live.ending) return;
    const payloadBytes = frame.length - FRAME_ID_BYTES;
    if (live.phase === 'sent' || !live.stream.accept(payloadBytes)) {
      void this.fail(live, ErrorCode.TRANSFER_SIZE_MISMATCH);
      return;
    }
    const permit = live.gate?.permit(payloadBytes);
    if (permit) {
      // Over the group's speed: the sender is not read until the bucket allows this frame.
      live.sender.holdReading();
      try {
        await permit;
      } finally {
        live.sender.releaseReading();
      }
      if (live.ending) return;
    }
    live.receiver.sendBytes(frame);
    this.youngGarbage.relayed(frame.length);
    this.relayedBytes.inc({ receiver: live.receiver instanceof PeerLink ? 'peer' : 'local' }, payloadBytes);
    const buffered = live.receiver.bufferedAmount;
    if (live.stream.backpressure(buffered) === 'pause') {
      live.sender.holdReading();
      live.stall = { sinceMs: Date.now(), buffered };
      this.awaitDrain(live);
    }
  }

  /**
   * Polls the receiver of a paused sender until it drained below half the mark, then reads the
   * sender again. A receiver that takes nothing for RELAY_STALL_SECONDS fails the transfer.
   */
  private awaitDrain(live: LiveStream): void {
    live.drainTimer = setTimeout(() => {
      live.drainTimer = undefined;
      if (live.ending) return;
      const buffered = live.receiver.bufferedAmount;
      if (live.stream.backpressure(buffered) === 'resume') {
        live.stall = undefined;
        live.sender.releaseReading();
        return;
      }
      const now = Date.now();
      if (!live.stall || buffered < live.stall.buffered) live.stall = { sinceMs: now, buffered };
      else if (now - live.stall.sinceMs >= this.config.RELAY_STALL_SECONDS * 1000) {
        void this.fail(live, ErrorCode.PEER_GONE);
        return;
      }
      this.awaitDrain(live);
    }, DRAIN_POLL_MS);
  }

  private progress(live: LiveStream): void {
    if (live.phase !== 'flowing' && live.phase !== 'sent') return;
    const bytes = live.stream.progressDue(Date.now(), live.receiver.bufferedAmount);
    if (bytes !== null) live.sender.send({ type: 'transfer.progress', transferId: live.transfer.id, bytes });
  }

  private async sent(live: LiveStream, sha256: string[]): Promise<void> {
    if (live.ending) return;
    if (live.phase !== 'flowing') {
      live.sender.send(conflict(`transfer.sent came ${live.phase === 'sent' ? 'already' : 'before the resume'}`));
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
    live.phase = 'sent';
    live.receiver.send({ type: 'transfer.sent', transferId: live.transfer.id, sha256 });
  }

  /** The receiving device's frame about the stream, from its socket here or up its link. */
  private async fromReceiver(live: LiveStream, answer: ReceiverAnswer): Promise<void> {
    if (live.ending) return;
    const { transfer, receiver } = live;
    if (answer.type === 'transfer.received') {
      if (live.phase !== 'sent') {
        receiver.send(conflict('No relayed transfer awaits this device’s answer', transfer.id));
        return;
      }
      if (answer.ok) await this.finish(live, 'completed', { deliveredBytes: transfer.totalBytes });
      else {
        await this.finish(live, 'failed', {
          failureCode: ErrorCode.CHECKSUM_MISMATCH,
          deliveredBytes: transfer.totalBytes,
        });
      }
      return;
    }
    if (live.phase !== 'receiver-offset') {
      receiver.send(conflict('The transfer is not resuming', transfer.id));
      return;
    }
    if (answer.offset > transfer.totalBytes) {
      receiver.send({
        type: 'error',
        code: ErrorCode.VALIDATION_FAILED,
        message: `The transfer has ${transfer.totalBytes} bytes`,
        transferId: transfer.id,
      });
      return;
    }
    live.stream.resumeAt(answer.offset);
    live.phase = 'sender-offset';
    live.sender.send({ type: 'transfer.resume', transferId: transfer.id, offset: answer.offset });
  }

  /** The sender's answer to transfer.resume: its next bytes start at `offset`. */
  private senderResumed(live: LiveStream, offset: number): void {
    if (live.phase !== 'sender-offset') {
      live.sender.send(conflict('The transfer is not waiting for the sender to resume', live.transfer.id));
      return;
    }
    // Until the sender answers no byte is counted: the stream still stands where it was told to continue.
    const resumeAt = live.stream.receivedBytes;
    if (offset !== resumeAt) {
      live.sender.send({
        type: 'error',
        code: ErrorCode.VALIDATION_FAILED,
        message: `The receiver holds ${resumeAt} bytes: resume from there`,
        transferId: live.transfer.id,
      });
      return;
    }
    live.phase = 'flowing';
  }

  /** Resumes a streaming transfer if its sender is connected here and its receiver anywhere. */
  private resume(ownerId: string, transferId: string): void {
    const previous = this.resumes.get(transferId) ?? Promise.resolve();
    const next = previous
      .then(() => this.resumeNow(ownerId, transferId))
      .catch((error: unknown) => this.logger.error(`resuming ${transferId} failed: ${String(error)}`))
      .finally(() => {
        if (this.resumes.get(transferId) === next) this.resumes.delete(transferId);
      });
    this.resumes.set(transferId, next);
  }

  private async resumeNow(ownerId: string, transferId: string): Promise<void> {
    // A draining replica resumes nothing: its sockets go, and the resume happens where they reconnect.
    if (this.shutdown.draining) return;
    const transfer = await this.repository.findTransfer(ownerId, transferId);
    if (transfer?.status !== 'streaming' || transfer.mode !== 'relay') return;
    const sender = this.connected.sessionOf(ownerId, transfer.fromDeviceId);
    if (!sender) return;
    // A stream still live here was carried by a socket that is being replaced.
    const current = this.live.get(transferId);
    if (current) this.supersede(current);
    const receiver = await this.openReceiver(transfer);
    // Not back yet: its own return resumes the stream, or the resume window ends it.
    if (!receiver) return;
    const gate = await this.gateFor(sender);
    // Without limits to apply the stream waits: a later reconnect, or the resume window, decides.
    if (gate === null) {
      receiver.release();
      return;
    }
    const claimed = await this.repository.claimStream(
      ownerId,
      transferId,
      this.locations.self,
      this.config.RELAY_STREAM_LEASE_SECONDS,
    );
    if (!claimed || !sender.isOpen) {
      receiver.release();
      void gate?.close();
      return;
    }
    this.waiting.delete(transferId);
    const live = this.track(transfer, sender, receiver, 'receiver-offset', gate);
    live.stream.resumeAt(transfer.deliveredBytes);
    receiver.send({ type: 'transfer.resume', transferId, offset: transfer.deliveredBytes });
  }

  private receiverBack({ ownerId, transferId }: ReceiverBack): void {
    // Only a replica holding one of the account's sockets can hold the sender's.
    if (this.connected.hasAccount(ownerId)) this.resume(ownerId, transferId);
  }

  /**
   * A device dropped mid-stream: the stream stops, the other device hears PEER_GONE at once
   * (WS-04), and the transfer stays `streaming` with the bytes delivered so far for
   * RELAY_RESUME_SECONDS, after which the lease sweep fails it.
   */
  private async interrupt(live: LiveStream, gone: 'sender' | 'receiver'): Promise<void> {
    if (live.ending) return;
    const { transfer } = live;
    const deliveredBytes = live.stream.deliveredBytes(gone === 'receiver' ? 0 : live.receiver.bufferedAmount);
    const seconds = this.config.RELAY_RESUME_SECONDS;
    const peerGone = (who: string): ServerEvent => ({
      type: 'error',
      code: ErrorCode.PEER_GONE,
      message: `The ${who} device dropped; the transfer resumes if it is back within ${seconds} s`,
      transferId: transfer.id,
    });
    if (gone === 'receiver') {
      live.sender.send(peerGone('receiving'));
      this.waiting.set(transfer.id, live.sender);
    } else {
      live.receiver.send(peerGone('sending'));
    }
    live.ending = true;
    this.stop(live);
    await this.repository.interruptStream(transfer.ownerId, transfer.id, this.locations.self, deliveredBytes, seconds);
  }

  private fail(live: LiveStream, code: ErrorCode): Promise<void> {
    const deliveredBytes = live.stream.deliveredBytes(live.receiver.bufferedAmount);
    return this.finish(live, 'failed', { failureCode: code, deliveredBytes });
  }

  private async finish(
    live: LiveStream,
    to: StreamOutcome,
    changes: { failureCode?: string; deliveredBytes: number },
  ): Promise<void> {
    if (live.ending) return;
    live.ending = true;
    this.settle(live.transfer.id, [
      live.sender,
      ...(live.receiver instanceof LocalReceiver ? [live.receiver.session] : []),
    ]);
    this.stop(live);
    await this.endings.end(live.transfer, 'streaming', to, changes);
  }

  /** The transfer goes on elsewhere (another replica or socket took it over): stop here, end nothing. */
  private supersede(live: LiveStream): void {
    live.ending = true;
    this.stop(live);
  }

  private stop(live: LiveStream): void {
    const { id } = live.transfer;
    if (this.live.get(id) === live) this.live.delete(id);
    this.leases.release(id);
    clearInterval(live.progressTimer);
    clearTimeout(live.drainTimer);
    if (live.stream.senderPaused) live.sender.releaseReading();
    live.receiver.release();
    void live.gate?.close().catch(() => undefined);
    this.quiet();
  }

  /** Keeps the sockets of a stream that ended busy until its ending event reaches them (transferEvent). */
  private settle(transferId: string, sessions: DeviceSocketSession[]): void {
    this.settled(transferId);
    if (this.heardEndings.has(transferId)) return;
    const timer = setTimeout(() => this.settled(transferId), SETTLE_MS);
    timer.unref();
    this.settling.set(transferId, { sessions, timer });
  }

  private settled(transferId: string): void {
    const settling = this.settling.get(transferId);
    if (!settling) return;
    clearTimeout(settling.timer);
    this.settling.delete(transferId);
    this.quiet();
  }

  private quiet(): void {
    for (const listener of this.quietListeners) listener();
  }

  /** A transfer ended (on any replica, by any path): what this replica still does for it stops. */
  private transferEvent({ event }: AccountEvent): void {
    if (!ENDING_EVENTS.has(event.type) || !('transfer' in event)) return;
    const { id } = event.transfer;
    const live = this.live.get(id);
    if (live) this.supersede(live);
    // Delivered to this replica's sockets before its listeners hear it (AccountEvents).
    this.heardEndings.add(id);
    setTimeout(() => this.heardEndings.delete(id), SETTLE_MS).unref();
    this.settled(id);
  }

  private inboundEnded(link: InboundLink, how: InboundEnd): void {
    const { transferId, ownerId } = link.target;
    // A stream let go of its link when it ended: its ending event is still on its way to the receiver.
    if (how === 'released') this.settle(transferId, [link.receiver]);
    if (this.inbound.get(transferId) === link) this.inbound.delete(transferId);
    this.quiet();
    if (how !== 'owner-gone') return;
    // The replica holding the stream vanished (killed, or cut off): the receiver must not wait
    // for bytes that will not come (WS-07).
    void this.repository
      .findTransfer(ownerId, transferId)
      .then((transfer) =>
        transfer ? this.endings.end(transfer, 'streaming', 'failed', { failureCode: ErrorCode.PEER_GONE }) : undefined,
      )
      .catch((error: unknown) => this.logger.error(`failing ${transferId} failed: ${String(error)}`));
  }
}
