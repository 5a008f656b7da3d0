import { HttpServerDrain, ShutdownState, type DrainOutcome } from '@lexy/server-shutdown';
import { Injectable } from '@nestjs/common';
import type { Server } from 'node:http';
import { WebSocketForwarding } from '../relay/websocket-forwarding.js';

/** How each part of the gateway's drain ended. */
export interface GatewayDrainOutcome {
  http: DrainOutcome;
  webSockets: DrainOutcome;
}

/**
 * The gateway's graceful shutdown, once ShutdownState has begun (health is 503 from then on):
 * the public port stops accepting, requests in flight (downloads, tus PATCHes) finish and the
 * piped WebSockets stay until they end, all within SHUTDOWN_GRACE_SECONDS; then the rest is cut.
 */
@Injectable()
export class GatewayDrain {
  private http: HttpServerDrain | undefined;

  constructor(
    private readonly shutdown: ShutdownState,
    private readonly webSockets: WebSocketForwarding,
  ) {}

  /** Watches the public server's connections and requests; before it listens. */
  attach(server: Server): void {
    this.http = new HttpServerDrain(server);
  }

  async drain(): Promise<GatewayDrainOutcome> {
    const [http, webSockets] = await Promise.all([
      this.http ? this.http.drain(this.shutdown) : Promise.resolve<DrainOutcome>('drained'),
      this.webSockets.drain(this.shutdown),
    ]);
    return { http, webSockets };
  }
}
