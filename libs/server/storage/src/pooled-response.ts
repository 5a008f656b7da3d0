import net from 'node:net';
import { finished, type Writable } from 'node:stream';
import { contentLength, parseResponseHead, type ResponseHead } from './response-head.js';

export interface PooledRequestOptions {
  /** A plain `http:` URL, path and query included (e.g. a presigned S3 URL). */
  url: URL;
  headers?: Record<string, string>;
  /** How long the server may stay silent while a read is wanted. */
  timeoutMs: number;
  /** Size of each read buffer. */
  bufferBytes?: number;
  /** How many read buffers one response may hold; at least 2. */
  buffers?: number;
}

/**
 * Asked before each write of `bytes` to the destination: undefined lets the write go at once,
 * a promise holds it (and, once every buffer waits, the reading from storage) until it
 * resolves; a rejection fails the transfer. Asked for one write at a time, in order.
 */
export type WriteGate = (bytes: number) => Promise<void> | undefined;

const DEFAULT_BUFFER_BYTES = 64 * 1024;
const DEFAULT_BUFFERS = 4;

type Mode = 'head' | 'waiting' | 'piping' | 'ending' | 'text' | 'settled';

/**
 * One HTTP/1.1 GET over a fresh plain-TCP connection whose body is passed on without copying
 * or allocating: each socket read lands in one of a few reused buffers (`net` `onread`), the
 * filled part is written to the destination as it is, and the buffer is read into again once
 * that write has been flushed. With every buffer in flight the socket stops reading, so a slow
 * destination holds back the server, and memory stays at `buffers * bufferBytes`.
 *
 * Node's HTTP client copies every body chunk into a new buffer instead; when a gateway streams
 * GiBs those copies are most of what it allocates, and their collection most of its CPU.
 */
export class PooledResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyMap<string, string>;
  /** Body bytes announced by Content-Length, when there was one. */
  readonly length: number | undefined;

  private constructor(
    private readonly connection: Connection,
    head: ResponseHead,
  ) {
    this.statusCode = head.statusCode;
    this.headers = head.headers;
    this.length = contentLength(head);
  }

  /** Sends the request; resolves once the response head has arrived. */
  static open(options: PooledRequestOptions): Promise<PooledResponse> {
    return new Promise((resolve, reject) => {
      const connection = new Connection(options, (error, head) => {
        if (error || !head) return reject(error);
        try {
          resolve(new PooledResponse(connection, head));
        } catch (invalid) {
          connection.destroy();
          reject(invalid);
        }
      });
    });
  }

  /**
   * Writes the body (Content-Length bytes, which the response must announce) to `destination`
   * and ends it. The destination must be done with a chunk when its write calls back, as a
   * socket or an HTTP response is; a Transform is not (it still queues the chunk), so copy
   * into one. `onFlushed` hears of each write once it has left for the destination. Rejects,
   * destroying both sides, when the server fails or closes early, or the destination errors
   * or closes before the end. `gate`, when given, is asked before each write (a speed limit).
   */
  pipeTo(destination: Writable, onFlushed?: (bytes: number) => void, gate?: WriteGate): Promise<void> {
    if (this.length === undefined) {
      this.destroy();
      return Promise.reject(new Error('The response has no Content-Length'));
    }
    return this.connection.pipeTo(destination, this.length, onFlushed, gate);
  }

  /** The body as text, up to `limit` bytes (for error documents); closes the connection. */
  readText(limit: number): Promise<string> {
    return this.connection.readText(Math.min(limit, this.length ?? limit));
  }

  /** Drops the response without reading its body. */
  destroy(): void {
    this.connection.destroy();
  }
}

/** The socket, its buffers, and the state of the one exchange on it. */
class Connection {
  private readonly socket: net.Socket;
  private readonly free: Buffer[] = [];
  private readonly timeoutMs: number;
  private readonly bufferBytes: number;
  private mode: Mode = 'head';
  private head = Buffer.alloc(0);
  /** Body bytes read before the caller said where they go. */
  private early: { buffer: Buffer; bytes: Buffer } | undefined;
  private inFlight = 0;
  private paused = false;
  private received = 0;
  private expected = 0;
  private destination: Writable | undefined;
  private onFlushed: ((bytes: number) => void) | undefined;
  private gate: WriteGate | undefined;
  /** The last gated write, while one waits: later writes queue behind it to keep their order. */
  private gated: Promise<void> | undefined;
  private settle: ((error?: Error) => void) | undefined;
  private text: Buffer[] = [];

  constructor(
    options: PooledRequestOptions,
    private onHead: ((error: Error | undefined, head?: ResponseHead) => void) | undefined,
  ) {
    const { url, headers = {}, timeoutMs, bufferBytes = DEFAULT_BUFFER_BYTES, buffers = DEFAULT_BUFFERS } = options;
    if (url.protocol !== 'http:') throw new TypeError('PooledResponse speaks plain HTTP only');
    if (buffers < 2) throw new RangeError('PooledResponse needs at least 2 buffers');
    for (let i = 0; i < buffers; i++) this.free.push(Buffer.allocUnsafe(bufferBytes));
    this.timeoutMs = timeoutMs;
    this.bufferBytes = bufferBytes;
    this.socket = net.connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port || 80),
      onread: { buffer: () => this.takeBuffer(), callback: (bytes, buffer) => this.onRead(bytes, buffer as Buffer) },
    });
    this.socket.setNoDelay(true);
    this.socket.setTimeout(timeoutMs, () => {
      if (!this.paused) this.fail(new Error(`The server at ${url.host} was silent for ${timeoutMs} ms`));
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('end', () => this.onEnd());
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  }

  pipeTo(destination: Writable, expected: number, onFlushed?: (bytes: number) => void, gate?: WriteGate) {
    if (this.mode !== 'waiting') return Promise.reject(new Error('The body was already read'));
    return new Promise<void>((resolve, reject) => {
      this.mode = 'piping';
      this.settle = (error) => (error ? reject(error) : resolve());
      this.destination = destination;
      this.expected = expected;
      this.onFlushed = onFlushed;
      this.gate = gate;
      const stopWatching = finished(destination, (error) => {
        stopWatching();
        if (this.mode !== 'ending' || error) return void this.fail(error ?? new Error('The destination ended early'));
        this.mode = 'settled';
        this.settle?.();
      });
      this.takeEarly();
      this.finishIfDone();
      this.resume();
    });
  }

  readText(limit: number): Promise<string> {
    if (this.mode !== 'waiting') return Promise.reject(new Error('The body was already read'));
    return new Promise((resolve, reject) => {
      this.mode = 'text';
      this.expected = limit;
      this.settle = (error) => {
        if (error) return reject(error);
        resolve(Buffer.concat(this.text).toString('utf8'));
      };
      this.takeEarly();
      this.resume();
    });
  }

  destroy(): void {
    this.fail(new Error('The response was dropped'));
  }

  private takeBuffer(): Buffer {
    // Never empty while reading: the socket pauses before the last free buffer is handed out.
    return this.free.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
  }

  /** Returns false to make the socket stop reading. */
  private onRead(bytes: number, buffer: Buffer): boolean {
    if (this.mode === 'settled' || this.mode === 'ending') return false;
    if (this.mode === 'head') return this.readHead(buffer.subarray(0, bytes), buffer);
    if (this.mode === 'waiting') return this.fail(new Error('The server sent bytes nobody asked for'));
    this.accept(buffer, buffer.subarray(0, bytes));
    return this.shouldKeepReading();
  }

  private readHead(bytes: Buffer, buffer: Buffer): boolean {
    this.head = this.head.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.head, bytes]);
    let head: ResponseHead | null;
    try {
      head = parseResponseHead(this.head);
    } catch (error) {
      return this.fail(error as Error);
    }
    // The head ends in this read, so whatever follows it here is the start of the body.
    const bodyBytes = head ? this.head.length - head.headLength : 0;
    if (bodyBytes > 0) this.early = { buffer, bytes: bytes.subarray(bytes.length - bodyBytes) };
    else this.free.push(buffer);
    if (!head) return true;
    this.head = Buffer.alloc(0);
    this.mode = 'waiting';
    this.paused = true;
    const onHead = this.onHead;
    this.onHead = undefined;
    onHead?.(undefined, head);
    return false; // until the caller says where the body goes
  }

  private takeEarly(): void {
    const early = this.early;
    this.early = undefined;
    if (early) this.accept(early.buffer, early.bytes);
  }

  /** Passes on bytes read into `buffer`, which is free again once they have been written. */
  private accept(buffer: Buffer, bytes: Buffer): void {
    const room = this.expected - this.received;
    if (bytes.length > room && this.mode === 'piping') {
      this.fail(new Error(`The server sent more than the ${this.expected} bytes it announced`));
      return;
    }
    const part = bytes.subarray(0, room);
    this.received += part.length;
    if (this.mode === 'text') {
      this.text.push(Buffer.from(part));
      this.free.push(buffer);
      if (this.received >= this.expected) this.succeed();
      return;
    }
    this.inFlight += 1;
    if (this.gate) return this.writeGated(buffer, part, this.gate);
    this.write(buffer, part);
  }

  /** Writes `part` once the gate allows it, after every write queued before it. */
  private writeGated(buffer: Buffer, part: Buffer, gate: WriteGate): void {
    const ask = () => (this.mode === 'settled' ? undefined : gate(part.length));
    const permit = this.gated ? this.gated.then(ask) : ask();
    if (!permit) return this.write(buffer, part);
    const written = permit.then(
      () => {
        if (this.gated === written) this.gated = undefined;
        if (this.mode !== 'settled') this.write(buffer, part);
      },
      (error: Error) => void this.fail(error),
    );
    this.gated = written;
  }

  private write(buffer: Buffer, part: Buffer): void {
    this.destination!.write(part, (error) => {
      if (this.mode === 'settled') return;
      if (error) return void this.fail(error);
      this.inFlight -= 1;
      this.free.push(buffer);
      this.onFlushed?.(part.length);
      if (!this.finishIfDone()) this.resume();
    });
  }

  /** Keeps one free buffer as the next read target; pauses when that is the last one. */
  private shouldKeepReading(): boolean {
    if (this.mode === 'settled') return false;
    if (this.received >= this.expected || this.free.length <= 1) {
      this.paused = true;
      return false;
    }
    return true;
  }

  /** Reads again once a buffer is free; the next read goes to the one taken when pausing. */
  private resume(): void {
    if (!this.paused || this.mode === 'settled' || this.received >= this.expected || this.free.length === 0) return;
    this.paused = false;
    this.socket.setTimeout(this.timeoutMs); // the silence while paused was ours, not the server's
    this.socket.resume();
  }

  private finishIfDone(): boolean {
    if (this.mode !== 'piping' || this.received < this.expected || this.inFlight > 0) return false;
    // Settled by the `finished` watcher of pipeTo once the destination has flushed everything.
    this.mode = 'ending';
    this.socket.destroy();
    this.destination!.end();
    return true;
  }

  private onEnd(): void {
    if (this.mode === 'text') return this.succeed();
    if (this.mode === 'head') return void this.fail(new Error('The server closed the connection without a response'));
    if (this.mode !== 'settled' && this.mode !== 'ending') {
      this.fail(new Error(`The server closed the connection after ${this.received} of ${this.expected} body bytes`));
    }
  }

  private succeed(): void {
    if (this.mode === 'settled') return;
    this.mode = 'settled';
    this.socket.destroy();
    this.settle?.();
  }

  /** Ends the exchange with `error`, tearing down both sides; returns false for `onRead`. */
  private fail(error: Error): false {
    if (this.mode === 'settled') return false;
    this.mode = 'settled';
    this.socket.destroy();
    this.destination?.destroy();
    if (this.onHead) {
      const onHead = this.onHead;
      this.onHead = undefined;
      onHead(error);
    }
    this.settle?.(error);
    return false;
  }
}
