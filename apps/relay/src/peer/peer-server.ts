import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type VerifyClientCallbackSync } from 'ws';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { ConnectedDevices } from '../socket/connected-devices.js';
import { MAX_FRAME_BYTES } from '../socket/relay-ws-adapter.js';
import { RelaySessions } from '../streaming/relay-sessions.js';
import { hasPeerSecret, peerTargetOf, type PeerTarget } from './peer-protocol.js';

/** How long a shutting-down replica waits for its inbound links to close cleanly. */
const LEAVING_GRACE_MS = 1_000;

/** Room for a `deliver` frame around the largest event (transfer.sent with 100 checksums is ~7 KB). */
const MAX_PEER_FRAME_BYTES = MAX_FRAME_BYTES + 64 * 1024;

/**
 * The peer port (RELAY_PEER_PORT): other relay replicas open links here to bring the streams of
 * receivers connected to this replica (ADR 0008). Only replicas, holding the internal secret,
 * get in, and only for a device that has a socket here (404 otherwise, before the 101).
 */
@Injectable()
export class PeerServer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('peer-server');
  private server: WebSocketServer | undefined;
  private readonly targets = new WeakMap<IncomingMessage, PeerTarget>();

  constructor(
    private readonly sessions: RelaySessions,
    private readonly connected: ConnectedDevices,
    @Inject(RELAY_CONFIG) private readonly config: RelayConfig,
  ) {}

  onModuleInit(): Promise<void> {
    const server = new WebSocketServer({
      port: this.config.RELAY_PEER_PORT,
      maxPayload: MAX_PEER_FRAME_BYTES,
      perMessageDeflate: false,
      verifyClient: this.verifyClient,
    });
    this.server = server;
    server.on('connection', (socket, request) => {
      const target = this.targets.get(request);
      if (target) this.sessions.attachInbound(socket, target);
      else socket.terminate();
    });
    return new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    }).then(() => {
      server.on('error', (error) => this.logger.error(`peer port: ${String(error)}`));
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Its receivers' sockets close with this replica: the streams may resume through another.
    // Their links get a second to carry that close to the other replicas.
    const closed = [...server.clients].map((client) => new Promise((resolve) => client.once('close', resolve)));
    this.sessions.receiversLeaving();
    await Promise.race([Promise.all(closed), sleep(LEAVING_GRACE_MS)]);
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private readonly verifyClient: VerifyClientCallbackSync<IncomingMessage> = ({ req }) => {
    if (!hasPeerSecret(req, this.config.INTERNAL_CALLER_SECRET)) return false;
    const target = peerTargetOf(req);
    if (!target || !this.connected.sessionOf(target.ownerId, target.deviceId)) return false;
    this.targets.set(req, target);
    return true;
  };
}
