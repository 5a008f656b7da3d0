import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { InFlight } from './in-flight.js';
import type { DrainOutcome, ShutdownState } from './shutdown-state.js';

/**
 * Drains a Node HTTP server: it stops accepting connections, closes the keep-alive ones that
 * carry no request, lets the requests in flight (a download, a tus PATCH) finish, closing each
 * connection once its last response is out, and cuts whatever is left at the deadline.
 * Upgraded sockets (WebSockets) are no HTTP connections any more: whoever took them drains them.
 * Attach it before the server listens.
 */
export class HttpServerDrain {
  /** Requests in flight per connection. */
  private readonly connections = new Map<Socket, number>();
  private readonly requests = new InFlight();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, 0);
      socket.once('close', () => this.connections.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.track(request, response));
    server.on('upgrade', (request: IncomingMessage) => this.connections.delete(request.socket));
  }

  /** HTTP requests in flight now. */
  get activeRequests(): number {
    return this.requests.size;
  }

  /** Drains until the requests in flight are done ('drained') or the grace period ends ('deadline'). */
  async drain(shutdown: ShutdownState): Promise<DrainOutcome> {
    this.draining = true;
    // Stops listening (a new connection is refused) and, in Node ≥ 19, closes idle connections.
    this.server.close(() => undefined);
    for (const [socket, active] of this.connections) if (active === 0) socket.end();
    const outcome = await shutdown.within(this.requests.idle());
    if (outcome === 'deadline') for (const socket of this.connections.keys()) socket.destroy();
    return outcome;
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    const socket = request.socket;
    const end = this.requests.start();
    this.connections.set(socket, (this.connections.get(socket) ?? 0) + 1);
    // A request that arrives on a kept-alive connection while draining is served, then that connection closes.
    if (this.draining) response.shouldKeepAlive = false;
    response.once('close', () => {
      end();
      const active = this.connections.get(socket);
      if (active === undefined) return;
      this.connections.set(socket, active - 1);
      if (this.draining && active - 1 === 0) socket.end();
    });
  }
}
