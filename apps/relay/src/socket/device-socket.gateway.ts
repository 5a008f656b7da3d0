import { ShutdownState } from '@lexy/server-shutdown';
import { type OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { DeviceConnections } from './device-connections.js';
import { DeviceSocketSession } from './device-socket-session.js';
import { OpenSockets } from './open-sockets.js';
import { UpgradeAuthentication } from './upgrade-authentication.js';

/** `/ws` on RELAY_WS_PORT (see RelayWsAdapter): one DeviceSocketSession per socket. */
@WebSocketGateway({ path: '/ws' })
export class DeviceSocketGateway implements OnGatewayConnection {
  constructor(
    private readonly connections: DeviceConnections,
    private readonly upgrades: UpgradeAuthentication,
    private readonly open: OpenSockets,
    private readonly shutdown: ShutdownState,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const session = new DeviceSocketSession(socket, this.connections, this.connections.timings);
    this.open.add(session, socket);
    const device = this.upgrades.take(request);
    // Upgraded just as the drain closed the port: the device goes to another replica.
    if (this.shutdown.draining) session.goAway();
    else session.start(device);
  }
}
