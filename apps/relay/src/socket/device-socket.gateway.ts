import { type OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { DeviceConnections } from './device-connections.js';
import { DeviceSocketSession } from './device-socket-session.js';
import { UpgradeAuthentication } from './upgrade-authentication.js';

/** `/ws` on RELAY_WS_PORT (see RelayWsAdapter): one DeviceSocketSession per socket. */
@WebSocketGateway({ path: '/ws' })
export class DeviceSocketGateway implements OnGatewayConnection {
  constructor(
    private readonly connections: DeviceConnections,
    private readonly upgrades: UpgradeAuthentication,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    new DeviceSocketSession(socket, this.connections, this.connections.timings).start(this.upgrades.take(request));
  }
}
