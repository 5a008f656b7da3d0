import { DomainError, ErrorCode } from '@lexy/server-errors';
import { isHandedUpgrade, refuseUpgrade, type HandedUpgrade, type HandOverNotice } from '@lexy/server-websocket';
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocketServer } from 'ws';

/** The child-process side of an IPC channel (`process` when started by `fork`). */
export interface ParentChannel {
  /** False once the gateway has gone: a send then would fail (and crash the relay). */
  readonly connected?: boolean;
  send?(message: HandOverNotice): boolean;
  on(event: 'message', listener: (message: unknown, handle: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/** The request ws sees for a handed socket: what the gateway's HTTP parser read, on this socket. */
export function requestOf(upgrade: HandedUpgrade, socket: Socket): IncomingMessage {
  const request = new IncomingMessage(socket);
  request.method = upgrade.method;
  request.url = upgrade.url;
  request.httpVersion = '1.1';
  request.httpVersionMajor = 1;
  request.httpVersionMinor = 1;
  request.rawHeaders = upgrade.rawHeaders;
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < upgrade.rawHeaders.length; index += 2) {
    const name = (upgrade.rawHeaders[index] ?? '').toLowerCase();
    const value = upgrade.rawHeaders[index + 1] ?? '';
    // As node:http joins repeated headers (ws reads sec-websocket-protocol that way too).
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  request.headers = headers;
  return request;
}

/**
 * Takes the devices' sockets from the gateway this relay runs under (ADR 0011): the gateway
 * accepted the TCP connection and read the upgrade request; the socket's descriptor comes here
 * over the IPC channel, so every later byte goes between the device and this process without
 * passing the gateway. ws then answers the upgrade as for a socket on RELAY_WS_PORT — the same
 * authentication, path and subprotocol checks — and the socket is a device's like any other.
 */
export class ParentSockets {
  private accepting = true;

  constructor(
    private readonly server: WebSocketServer,
    private readonly parent: ParentChannel,
  ) {}

  /** Listens for handed sockets and tells the gateway it may hand them over. */
  start(): void {
    this.parent.on('message', (message, handle) => {
      if (isHandedUpgrade(message) && handle) this.take(message, handle as Socket);
    });
    this.notify({ type: 'lexy.ws.ready' });
  }

  /** The drain: a socket handed over from now on is answered 503, as a closed port would be refused. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Tells the gateway, while there is one: its sockets outlive it here, draining (main.ts). */
  private notify(notice: HandOverNotice): void {
    if (this.parent.connected) this.parent.send?.(notice);
  }

  private take(upgrade: HandedUpgrade, socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.notify({ type: 'lexy.ws.closed', id: upgrade.id }));
    if (!this.accepting) {
      refuseUpgrade(
        socket,
        503,
        new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This relay is shutting down; connect again'),
      );
      return;
    }
    const request = requestOf(upgrade, socket);
    this.server.handleUpgrade(request, socket, Buffer.from(upgrade.head, 'base64'), (webSocket) =>
      this.server.emit('connection', webSocket, request),
    );
  }
}
