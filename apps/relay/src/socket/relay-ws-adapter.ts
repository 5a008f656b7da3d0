import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketServer } from 'ws';
import { ParentSockets, type ParentChannel } from './parent-sockets.js';
import type { UpgradeAuthentication } from './upgrade-authentication.js';
import { chooseProtocol } from './upgrade-credentials.js';

/** The largest frame a device may send (WS-05; ws would allow 100 MiB): larger closes with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * @nestjs/platform-ws's adapter with the relay's own server: on the configured port (the
 * gateway decorator's is fixed at build time), with the frame limit, the subprotocol answer
 * and the authentication before the upgrade. Under a gateway (`parent`), the same server also
 * takes the sockets the gateway hands over (ADR 0011).
 */
export class RelayWsAdapter extends WsAdapter {
  private server: WebSocketServer | undefined;
  private handed: ParentSockets | undefined;
  private stopped = false;

  constructor(
    private readonly port: number,
    private readonly authentication: UpgradeAuthentication,
    private readonly parent?: ParentChannel,
  ) {
    super();
  }

  override create(_port: number, options: { path?: string } = {}): WebSocketServer {
    const server = new WebSocketServer({
      port: this.port,
      path: options.path,
      maxPayload: MAX_FRAME_BYTES,
      // Compression would let a small frame inflate past what the limit is meant to bound.
      perMessageDeflate: false,
      verifyClient: this.authentication.verifyClient,
      handleProtocols: chooseProtocol,
    });
    this.server = server;
    if (this.parent) {
      this.handed = new ParentSockets(server, this.parent);
      server.once('listening', () => this.handed?.start());
    }
    return this.bindErrorHandler(server) as WebSocketServer;
  }

  /**
   * The drain: the port stops listening (a new connection is refused), the open sockets stay.
   * ws closes its HTTP server, whose close completes once those sockets are gone; Nest's close
   * of the application then waits for that and ends the rest.
   */
  stopAccepting(): void {
    this.stopped = true;
    this.handed?.stopAccepting();
    this.server?.close();
  }

  /** Nest's close, which must not fail because a drain has closed the server already (ws: "not running"). */
  override async close(server: WebSocketServer): Promise<void> {
    await super.close(server).catch((error: unknown) => {
      if (!this.stopped) throw error;
    });
  }

  /**
   * Nest would parse every frame for @SubscribeMessage handlers; the relay has none, since each
   * socket's frames are read by its DeviceSocketSession (which must read nothing before auth).
   */
  override bindMessageHandlers(): void {}
}
