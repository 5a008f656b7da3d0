import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { gatewayUrl } from './e2e.js';

/** `/ws` on the gateway's public port (the gateway forwards it to the relay); `base` names another gateway replica. */
export const socketUrl = (query = '', base = gatewayUrl()) => `${base.replace(/^http/, 'ws')}/ws${query}`;

export type SocketEvent = Record<string, any> & { type: string };

/** A client socket that keeps every event it receives until a test asks for it. */
export class TestSocket {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The answer of an upgrade refused before the 101. */
  readonly refused: Promise<{ status: number; body: Record<string, any> }>;
  private readonly events: SocketEvent[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(url: string, protocols: string[] = [], headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, protocols, { headers });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.refused = new Promise((resolve) =>
      this.ws.once('unexpected-response', (_request, response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      }),
    );
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.events.push(JSON.parse(data.toString()) as SocketEvent);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first event of `type` not taken yet (matching `where`), waiting up to `timeoutMs`. */
  async next(type: string, where: (event: SocketEvent) => boolean = () => true, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event) => event.type === type && where(event));
      if (index >= 0) return this.events.splice(index, 1)[0] as SocketEvent;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Whether an event of `type` has arrived (without waiting). */
  has(type: string): boolean {
    return this.events.some((event) => event.type === type);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

/** A socket authenticated on the upgrade: `Sec-WebSocket-Protocol: lexy.v1, <token>` and `?deviceId=`. */
export function socketWithToken(
  token: string,
  deviceId: string,
  headers: Record<string, string> = {},
  base = gatewayUrl(),
) {
  return new TestSocket(socketUrl(`?deviceId=${encodeURIComponent(deviceId)}`, base), ['lexy.v1', token], headers);
}

/** A socket that authenticates with its first frame, and waits until it is ready. */
export async function socketWithAuthFrame(token: string, deviceId: string): Promise<TestSocket> {
  const socket = new TestSocket(socketUrl());
  await socket.opened;
  socket.send({ type: 'auth', token, deviceId });
  return socket;
}
