import { jest } from '@jest/globals';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState, type Schedule } from '@lexy/server-shutdown';
import { EventEmitter } from 'node:events';
import type { RelaySessions } from '../streaming/relay-sessions.js';
import { DeviceSocketSession, type SessionHooks, type SessionSocket } from './device-socket-session.js';
import { OpenSockets } from './open-sockets.js';
import { RelayDrain } from './relay-drain.js';

/** A socket that closes when told to, with the code it was given. */
class FakeSocket extends EventEmitter implements SessionSocket {
  readyState = 1;
  bufferedAmount = 0;
  closedWith: number | undefined;
  send(): void {}
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  ping(): void {}
  pause(): void {}
  resume(): void {}
}

const hooks: SessionHooks = {
  authenticate: async () => ({ ownerId: 'user-1', deviceId: 'device-1', group: 'normal' }),
  ready: () => undefined,
  beat: () => undefined,
  closed: () => undefined,
  relay: () => undefined,
};

/** RelaySessions as the drain sees it: which sockets carry a transfer, and news that one ended. */
class FakeStreams {
  readonly busy = new Set<DeviceSocketSession>();
  private listeners = new Set<() => void>();
  liveCount = 0;
  isBusy(session: DeviceSocketSession): boolean {
    return this.busy.has(session);
  }
  onQuiet(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The transfer of `session` ended. */
  ended(session: DeviceSocketSession): void {
    this.busy.delete(session);
    for (const listener of this.listeners) listener();
  }
}

function setUp() {
  const sockets = new OpenSockets(new ServiceMetrics('relay', { processMetrics: false }));
  const streams = new FakeStreams();
  const drain = new RelayDrain(sockets, streams as unknown as RelaySessions);
  const listener = { stopAccepting: jest.fn() };
  drain.useListener(listener);
  const open = () => {
    const socket = new FakeSocket();
    const session = new DeviceSocketSession(socket, hooks, { authDeadlineMs: 5_000, pingIntervalMs: 30_000 });
    sockets.add(session, socket);
    session.start({ ownerId: 'user-1', deviceId: `device-${sockets.size}`, group: 'normal' });
    return { socket, session };
  };
  let fireDeadline: () => void = () => undefined;
  const schedule: Schedule = (_ms, callback) => {
    fireDeadline = callback;
    return () => undefined;
  };
  const shutdown = new ShutdownState(25_000, schedule);
  shutdown.begin();
  return { drain, streams, listener, open, shutdown, sockets, deadline: () => fireDeadline() };
}

describe('RelayDrain', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops accepting and sends idle sockets away with 1001 at once', async () => {
    const { drain, listener, open, shutdown } = setUp();
    const idle = [open(), open()];
    await expect(drain.drain(shutdown)).resolves.toBe('drained');
    expect(listener.stopAccepting).toHaveBeenCalled();
    expect(idle.map(({ socket }) => socket.closedWith)).toEqual([1001, 1001]);
  });

  it('keeps a socket in a transfer open until the transfer ended', async () => {
    const { drain, streams, open, shutdown, sockets } = setUp();
    const sender = open();
    const idle = open();
    streams.busy.add(sender.session);
    const draining = drain.drain(shutdown);
    expect(idle.socket.closedWith).toBe(1001);
    expect(sender.socket.closedWith).toBeUndefined();
    expect(sockets.size).toBe(1);

    streams.ended(sender.session);
    expect(sender.socket.closedWith).toBe(1001);
    await expect(draining).resolves.toBe('drained');
  });

  it('sends every socket away at the deadline, transfers or not', async () => {
    const { drain, streams, open, shutdown, deadline } = setUp();
    const sender = open();
    streams.busy.add(sender.session);
    const draining = drain.drain(shutdown);
    await Promise.resolve();
    expect(sender.socket.closedWith).toBeUndefined();
    deadline();
    await expect(draining).resolves.toBe('deadline');
    expect(sender.socket.closedWith).toBe(1001);
  });
});
