import { parseServerEvent, type ClientEvent, type ServerEvent } from './events.js';

/** The part of a WebSocket this client uses: the browser's, or the `ws` package's in Node. */
export interface RelaySocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/**
 * `connecting` until the server's `ready`; `waiting` between a dropped socket and the next try;
 * `refused` when the server turned the credentials down (close 4401/4403: the token or the device
 * is no longer good, so trying again as is would not help); `stopped` after stop().
 */
export type ConnectionStatus = 'connecting' | 'ready' | 'waiting' | 'refused' | 'stopped';

export interface RelayConnectionOptions {
  /** ws(s)://host/ws */
  url: string;
  deviceId: string;
  /** A current access token; asked before each connect, so a refreshed one is used. */
  accessToken: () => Promise<string | null>;
  onEvent: (event: ServerEvent) => void;
  onFrame: (frame: Uint8Array) => void;
  onStatus?: (status: ConnectionStatus, closeCode?: number) => void;
  createSocket?: (url: string) => RelaySocket;
  /** Our own pings, under the server's 30 s, keep proxies from closing an idle socket. */
  pingMs?: number;
  /** Reconnect delays: doubling from the first to the cap. */
  retryMs?: number;
  maxRetryMs?: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const OPEN = 1;
const REFUSED_CODES = new Set([4401, 4403]);

/**
 * One device's socket to /ws: authenticates with its first frame (the token never goes in the
 * URL), reports events and binary frames, pings, and reconnects with a growing delay when the
 * socket drops, until stopped.
 */
export class RelayConnection {
  private socket: RelaySocket | null = null;
  private status: ConnectionStatus = 'stopped';
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private failures = 0;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: RelayConnectionOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  get state(): ConnectionStatus {
    return this.status;
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  start(): void {
    if (this.status !== 'stopped' && this.status !== 'refused') return;
    this.failures = 0;
    void this.connect();
  }

  stop(): void {
    this.clearTimers();
    this.setStatus('stopped');
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'bye');
    }
  }

  /** Sends an event; false when there is no ready socket (nothing is queued). */
  send(event: ClientEvent): boolean {
    if (this.status !== 'ready' || this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(event));
    return true;
  }

  sendFrame(frame: Uint8Array): boolean {
    if (this.status !== 'ready' || this.socket?.readyState !== OPEN) return false;
    this.socket.send(frame);
    return true;
  }

  private async connect(): Promise<void> {
    this.setStatus('connecting');
    const token = await this.options.accessToken();
    if (this.status !== 'connecting') return;
    if (!token) {
      this.setStatus('refused');
      return;
    }
    const socket = (this.options.createSocket ?? ((url) => new WebSocket(url) as unknown as RelaySocket))(
      this.options.url,
    );
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token, deviceId: this.options.deviceId }));
    socket.onmessage = ({ data }) => this.receive(data);
    socket.onerror = () => undefined;
    socket.onclose = ({ code }) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (REFUSED_CODES.has(code)) {
        this.setStatus('refused', code);
        return;
      }
      this.setStatus('waiting', code);
      const delay = Math.min((this.options.retryMs ?? 1000) * 2 ** this.failures, this.options.maxRetryMs ?? 30_000);
      this.failures += 1;
      this.retryTimer = this.setTimer(() => void this.connect(), delay);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') {
      if (data instanceof ArrayBuffer) this.options.onFrame(new Uint8Array(data));
      else if (data instanceof Uint8Array) this.options.onFrame(data);
      return;
    }
    const event = parseServerEvent(data);
    if (!event) return;
    if (event.type === 'ready') {
      this.failures = 0;
      this.setStatus('ready');
      this.schedulePing();
    } else if (event.type === 'ping') {
      this.send({ type: 'pong' });
    }
    this.options.onEvent(event);
  }

  private schedulePing(): void {
    this.pingTimer = this.setTimer(() => {
      this.send({ type: 'ping' });
      this.schedulePing();
    }, this.options.pingMs ?? 25_000);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
  }

  private setStatus(status: ConnectionStatus, closeCode?: number): void {
    this.status = status;
    this.options.onStatus?.(status, closeCode);
  }
}
