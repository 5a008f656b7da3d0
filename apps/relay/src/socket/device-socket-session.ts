import type { RawData } from 'ws';
import type { AuthenticatedDevice } from './socket-authenticator.js';
import { authRefusalOf } from './socket-authenticator.js';
import { FrameRateLimit } from './frame-rate-limit.js';
import {
  CLOSE_CODES,
  parseClientFrame,
  rawBytes,
  validationError,
  type RelayInput,
  type ServerEvent,
} from './socket-frames.js';

/** The part of a ws WebSocket a session uses (a fake one in unit tests). */
export interface SessionSocket {
  readonly readyState: number;
  /** What `send` queued that the network has not taken yet (ws: the socket's and its sender's). */
  readonly bufferedAmount: number;
  /** A string goes as a text frame, a Buffer as a binary one. */
  send(data: string | Buffer): void;
  close(code?: number, reason?: string): void;
  ping(): void;
  pause(): void;
  resume(): void;
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): unknown;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}

/** What a session asks of the relay: checking credentials, and hearing of its life. */
export interface SessionHooks {
  authenticate(token: string, deviceId: string): Promise<AuthenticatedDevice>;
  /** The socket is authenticated and told so. */
  ready(session: DeviceSocketSession): void;
  /** A heartbeat went out to a socket that is still heard from (keeps presence alive). */
  beat(session: DeviceSocketSession): void;
  /** An authenticated socket closed. */
  closed(session: DeviceSocketSession): void;
  /** A binary frame, or a transfer.sent/received/resume frame, of a ready socket: relayed bytes (api.md § Bytes). */
  relay(session: DeviceSocketSession, input: RelayInput): void;
}

export interface SessionTimings {
  /** How long a socket without credentials on the upgrade has for its auth frame. */
  authDeadlineMs: number;
  /** How often the server pings; a socket silent for SILENT_INTERVALS of them is closed. */
  pingIntervalMs: number;
}

/** api.md: the server pings every 30 s and drops a socket silent for 90 s. */
export const SILENT_INTERVALS = 3;
const OPEN = 1;

type State = 'awaiting-auth' | 'authenticating' | 'ready' | 'closed';

/**
 * One device's socket from its upgrade to its close. Until it is authenticated it reads nothing
 * but the auth frame (api.md): the socket is paused while the credentials are checked, and
 * frames already received meanwhile wait until it is ready. Once ready it answers pings, reports
 * bad frames as error frames (the socket stays open), and closes a silent socket with 4408.
 */
export class DeviceSocketSession {
  private state: State = 'awaiting-auth';
  /** Set once the server closes: an authentication still under way must not make it ready. */
  private closing = false;
  private authenticated: AuthenticatedDevice | undefined;
  private lastHeardAt = Date.now();
  private authTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** How many streams hold the reading of this socket paused (backpressure); it reads when none does. */
  private readingHolds = 0;
  /** Frames that arrived while the auth frame was being checked. */
  private held: [RawData, boolean][] = [];

  constructor(
    private readonly socket: SessionSocket,
    private readonly hooks: SessionHooks,
    private readonly timings: SessionTimings,
    /** Bounds control frames (WS-05 flood → 1008); see frame-rate-limit.ts. */
    private readonly frameRate = new FrameRateLimit(),
  ) {}

  /** The authenticated device; only called on a session that is ready. */
  get device(): AuthenticatedDevice {
    if (!this.authenticated) throw new Error('the socket is not authenticated yet');
    return this.authenticated;
  }

  /** Starts the session: `device` when the upgrade itself was authenticated, else the auth frame is awaited. */
  start(device?: AuthenticatedDevice): void {
    this.socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    this.socket.on('pong', () => this.heard());
    this.socket.on('close', () => this.onClose());
    if (device) {
      this.becomeReady(device);
      return;
    }
    this.authTimer = setTimeout(
      () => this.close(CLOSE_CODES.unauthenticated, 'No auth frame in time'),
      this.timings.authDeadlineMs,
    );
  }

  send(event: ServerEvent): void {
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(event));
  }

  /** Forwards a binary frame as it is. */
  sendBytes(frame: Buffer): void {
    if (this.socket.readyState === OPEN) this.socket.send(frame);
  }

  /** Bytes sent to this socket that the network has not taken yet. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.state === 'ready' && !this.closing;
  }

  /**
   * Stops reading the device (backpressure) until every hold is released. ws 8's
   * `WebSocket.pause()` pauses its underlying net.Socket (`_socket.pause()`): no more data is
   * read, though frames already read may still be emitted (at most about one read's worth).
   */
  holdReading(): void {
    this.readingHolds += 1;
    if (this.readingHolds === 1) this.socket.pause();
  }

  releaseReading(): void {
    if (this.readingHolds === 0) return;
    this.readingHolds -= 1;
    if (this.readingHolds === 0 && this.state === 'ready') this.socket.resume();
  }

  /** The relay shuts down: the socket closes with 1001, and the device connects again (to another replica). */
  goAway(): void {
    this.close(CLOSE_CODES.goingAway, 'The relay is restarting; connect again');
  }

  /** Closes the socket with `code` (e.g. 4403 for a frame of a transfer it may not send). */
  refuse(code: number, reason: string): void {
    this.close(code, reason);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    // First, in every state: a flood must not even pile up in `held` during the auth check.
    if (!this.frameRate.admit(data, isBinary)) {
      this.close(CLOSE_CODES.policy, 'Too many frames');
      return;
    }
    this.heard();
    switch (this.state) {
      case 'awaiting-auth':
        this.authenticate(data, isBinary);
        return;
      case 'authenticating':
        this.held.push([data, isBinary]);
        return;
      case 'ready':
        this.handle(data, isBinary);
        return;
      case 'closed':
        return;
    }
  }

  private authenticate(data: RawData, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok || parsed.frame.type !== 'auth') {
      this.close(CLOSE_CODES.unauthenticated, 'The first frame must be an auth frame');
      return;
    }
    this.state = 'authenticating';
    this.socket.pause();
    this.hooks.authenticate(parsed.frame.token, parsed.frame.deviceId).then(
      (device) => this.becomeReady(device),
      (error: unknown) => {
        const refusal = authRefusalOf(error);
        this.close(refusal.closeCode, refusal.envelope.error.message);
      },
    );
  }

  private becomeReady(device: AuthenticatedDevice): void {
    if (this.closing || this.state === 'closed') return;
    clearTimeout(this.authTimer);
    this.state = 'ready';
    this.authenticated = device;
    this.send({ type: 'ready', deviceId: device.deviceId });
    this.hooks.ready(this);
    this.pingTimer = setInterval(() => this.heartbeat(), this.timings.pingIntervalMs);
    const held = this.held;
    this.held = [];
    for (const [data, isBinary] of held) this.handle(data, isBinary);
    this.socket.resume();
  }

  private handle(data: RawData, isBinary: boolean): void {
    if (this.state !== 'ready' || this.closing) return;
    if (isBinary) {
      this.hooks.relay(this, { type: 'bytes', data: rawBytes(data) });
      return;
    }
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok) {
      this.send(validationError(parsed.message));
      return;
    }
    switch (parsed.frame.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'auth':
        this.send(validationError('This socket is authenticated already'));
        return;
      case 'transfer.sent':
      case 'transfer.received':
      case 'transfer.resume':
      case 'signal':
        this.hooks.relay(this, parsed.frame);
        return;
    }
  }

  private heartbeat(): void {
    if (Date.now() - this.lastHeardAt >= SILENT_INTERVALS * this.timings.pingIntervalMs) {
      this.close(CLOSE_CODES.silent, 'No answer to pings');
      return;
    }
    this.socket.ping();
    this.hooks.beat(this);
  }

  private heard(): void {
    this.lastHeardAt = Date.now();
  }

  private close(code: number, reason: string): void {
    if (this.closing || this.state === 'closed') return;
    this.closing = true;
    // A socket paused for its auth check must read again, or the client's close frame is never
    // read and the close handshake waits for ws's 30 s timeout.
    this.socket.resume();
    // A close reason is at most 123 bytes.
    this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.stopTimers();
  }

  private onClose(): void {
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    this.held = [];
    this.stopTimers();
    if (wasReady) this.hooks.closed(this);
  }

  private stopTimers(): void {
    clearTimeout(this.authTimer);
    clearInterval(this.pingTimer);
  }
}
