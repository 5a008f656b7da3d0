import { METRIC, ServiceMetrics } from '@lexy/server-metrics';
import { Injectable } from '@nestjs/common';
import type { DeviceSocketSession } from './device-socket-session.js';

/**
 * Every devices' socket open on this replica, authenticated or not yet (ConnectedDevices holds
 * the authenticated ones by account): what the drain closes and waits for, and
 * lexy_relay_connected_sockets.
 */
@Injectable()
export class OpenSockets {
  private readonly sessions = new Set<DeviceSocketSession>();
  private waiters: (() => void)[] = [];

  constructor(metrics: ServiceMetrics) {
    const sessions = this.sessions;
    metrics.gauge({
      name: METRIC.relayConnectedSockets,
      help: "Devices' WebSockets open on this relay replica, authenticated or not yet.",
      collect() {
        this.set(sessions.size);
      },
    });
  }

  /** Keeps `session` until its socket closes. */
  add(session: DeviceSocketSession, socket: { once(event: 'close', listener: () => void): unknown }): void {
    this.sessions.add(session);
    socket.once('close', () => {
      this.sessions.delete(session);
      if (this.sessions.size === 0) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): DeviceSocketSession[] {
    return [...this.sessions];
  }

  /** Resolves once no socket is open (at once when none is). */
  empty(): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
