import { DomainError, ErrorCode } from '@lexy/server-errors';
import { InFlight, ShutdownState, type DrainOutcome } from '@lexy/server-shutdown';
import { refuseUpgrade } from '@lexy/server-websocket';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, Server } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { allowedOrigins } from '../http/cross-origin.js';
import { ClientAddresses } from '../identity/client-addresses.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { RelayChild } from './relay-child.js';

/** The public path of the devices' WebSocket (api.md § WebSocket). */
export const WEBSOCKET_PATH = '/ws';
/** How long the relay may take to accept the forwarded connection before the client gets a 503. */
const RELAY_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Whether an upgrade may be forwarded, judged by its Origin (WS-01 c, cross-site WebSocket
 * hijacking): none at all is a native client, which still has to authenticate with a token;
 * a browser's must be one the API allows (the platform's public origin, the mobile app's),
 * or this gateway's own.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  allowed: { origins: ReadonlySet<string>; host?: string },
): boolean {
  if (origin === undefined) return true;
  if (allowed.origins.has(origin)) return true;
  return allowed.host !== undefined && (origin === `http://${allowed.host}` || origin === `https://${allowed.host}`);
}

/**
 * The upgrade's headers as the relay receives them: as the client sent them (raw, so names and
 * order stay), with X-Forwarded-For replaced by the one address the gateway resolved: hops the
 * client sent itself were weighed there (PC-03) and are not passed on.
 */
export function forwardedHeaders(rawHeaders: readonly string[], clientAddress: string): string[] {
  const forwarded: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? '';
    if (name.toLowerCase() === 'x-forwarded-for') continue;
    forwarded.push(name, rawHeaders[index + 1] ?? '');
  }
  forwarded.push('X-Forwarded-For', clientAddress);
  return forwarded;
}

/** The upgrade request as a relay reached over TCP receives it: request line and forwardedHeaders. */
export function forwardedHead(request: Pick<IncomingMessage, 'method' | 'url' | 'rawHeaders'>, clientAddress: string) {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/1.1`];
  const headers = forwardedHeaders(request.rawHeaders, clientAddress);
  for (let index = 0; index + 1 < headers.length; index += 2) lines.push(`${headers[index]}: ${headers[index + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function relayUnavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Live transfers are unavailable right now; retry shortly', {
    retryAfterSeconds: 5,
  });
}

function isWebSocketPath(url: string | undefined): boolean {
  try {
    return new URL(url ?? '/', 'http://gateway.invalid').pathname === WEBSOCKET_PATH;
  } catch {
    return false;
  }
}

/**
 * Forwards upgrades on `/ws` from the gateway's public HTTP server to the relay, which serves
 * the WebSocket and authenticates it. After the Origin check, either
 * - the relay runs as this gateway's child process (the default, ADR 0011): the socket itself is
 *   handed to it, and no byte of it passes through the gateway any more; or
 * - the relay runs elsewhere, at RELAY_WS_ADDRESS (ADR 0007): the gateway pipes bytes both ways,
 *   parsing no frame, TCP backpressure pacing both sides.
 *
 * Draining, it forwards no new upgrade (503). A child relay is told to drain too and waited for;
 * piped sockets stay open until they end — the relay tells its devices to go when their transfers
 * are done — or the grace period does.
 */
@Injectable()
export class WebSocketForwarding {
  private readonly logger = new Logger('ws-forwarding');
  /** The relay reached over TCP, when it is not this gateway's child. */
  private readonly relay: { host: string; port: number } | undefined;
  private readonly origins: ReadonlySet<string>;
  private readonly piped = new InFlight();
  /** The client side of each piped socket, to cut at the deadline. */
  private readonly clients = new Set<Duplex>();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly addresses: ClientAddresses,
    private readonly metrics: GatewayMetrics,
    private readonly shutdown: ShutdownState,
    private readonly child: RelayChild,
  ) {
    const address = config.RELAY_WS_ADDRESS;
    const separator = address?.lastIndexOf(':') ?? -1;
    this.relay =
      address === undefined
        ? undefined
        : {
            host: address.slice(0, separator),
            port: Number(address.slice(separator + 1)),
          };
    this.origins = allowedOrigins(config.PUBLIC_URL, config.GATEWAY_CLIENT_ORIGINS);
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.forward(request, socket, head),
    );
  }

  /** Waits until every piped socket closed ('drained') or the grace period ends, then cuts the rest. */
  async drain(shutdown: ShutdownState): Promise<DrainOutcome> {
    if (!this.relay) return this.child.stop(shutdown);
    const outcome = await shutdown.within(this.piped.idle());
    if (outcome === 'deadline') {
      this.logger.warn(`grace period over: cutting ${this.clients.size} WebSockets`);
      for (const client of this.clients) client.destroy();
    }
    return outcome;
  }

  private forward(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.shutdown.draining) {
      refuseUpgrade(
        socket,
        503,
        new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This gateway is shutting down; connect again', {
          retryAfterSeconds: 1,
        }),
      );
      return;
    }
    if (!isWebSocketPath(request.url)) {
      refuseUpgrade(socket, 404, new DomainError(ErrorCode.NOT_FOUND, 'No WebSocket is served here'));
      return;
    }
    if (!isAllowedOrigin(request.headers.origin, { origins: this.origins, host: request.headers.host })) {
      refuseUpgrade(socket, 403, new DomainError(ErrorCode.FORBIDDEN, 'This origin may not open the WebSocket'));
      return;
    }
    if (this.relay) this.pipe(this.relay, request, socket, head);
    else this.handOver(request, socket as Socket, head);
  }

  private handOver(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const headers = forwardedHeaders(request.rawHeaders, this.addresses.addressOf(request));
    if (!this.child.handOver(request, headers, socket, head, () => this.metrics.webSocketOpened())) {
      refuseUpgrade(socket, 503, relayUnavailable());
    }
  }

  private pipe(relay: { host: string; port: number }, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = net.connect(relay);
    upstream.setTimeout(RELAY_CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error('connect timeout')));
    let piped = false;
    upstream.once('connect', () => {
      upstream.setTimeout(0);
      upstream.setNoDelay(true);
      upstream.write(forwardedHead(request, this.addresses.addressOf(request)));
      if (head.length > 0) upstream.write(head);
      piped = true;
      this.track(socket);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', (error) => {
      if (piped) return;
      this.logger.warn(`relay WebSocket unreachable at ${relay.host}:${relay.port}: ${error.message}`);
      refuseUpgrade(socket, 503, relayUnavailable());
    });
    // Either side gone ends the other (a refusal in flight ends the client socket itself).
    upstream.on('close', () => piped && socket.destroy());
    socket.on('close', () => upstream.destroy());
  }

  /** Counts a piped socket until it closes (the drain waits for it; lexy_gateway_websocket_connections). */
  private track(socket: Duplex): void {
    const ended = this.piped.start();
    const closed = this.metrics.webSocketOpened();
    this.clients.add(socket);
    socket.once('close', () => {
      this.clients.delete(socket);
      closed();
      ended();
    });
  }
}
