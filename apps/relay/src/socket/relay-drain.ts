import type { DrainOutcome, ShutdownState } from '@lexy/server-shutdown';
import { Injectable, Logger } from '@nestjs/common';
import { RelaySessions } from '../streaming/relay-sessions.js';
import { OpenSockets } from './open-sockets.js';

/** Where the devices' sockets come in (RelayWsAdapter). */
export interface SocketListener {
  stopAccepting(): void;
}

/**
 * The relay's part of a graceful shutdown. The devices' port stops accepting; every socket that
 * carries no running transfer is told to go (close 1001, api.md § WebSocket) and reconnects to
 * another replica; a socket in a transfer — its sender or receiver, here or across a peer link —
 * stays until the transfer ended and both devices heard so, then goes too. At the deadline every
 * socket still open goes.
 */
@Injectable()
export class RelayDrain {
  private readonly logger = new Logger('relay-drain');
  private listener: SocketListener | undefined;

  constructor(
    private readonly sockets: OpenSockets,
    private readonly sessions: RelaySessions,
  ) {}

  /** The listener whose port the drain closes (app.ts sets the WebSocket adapter). */
  useListener(listener: SocketListener): void {
    this.listener = listener;
  }

  async drain(shutdown: ShutdownState): Promise<DrainOutcome> {
    this.listener?.stopAccepting();
    const sweep = () => {
      for (const socket of this.sockets.all()) if (!this.sessions.isBusy(socket)) socket.goAway();
    };
    const stopListening = this.sessions.onQuiet(sweep);
    sweep();
    this.logger.log(`draining: ${this.sockets.size} sockets, ${this.sessions.liveCount} relayed streams`);
    const outcome = await shutdown.within(this.sockets.empty());
    stopListening();
    if (outcome === 'deadline') {
      this.logger.warn(`grace period over: closing ${this.sockets.size} sockets still in transfers`);
      for (const socket of this.sockets.all()) socket.goAway();
    }
    return outcome;
  }
}
