import { jest } from '@jest/globals';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { EventEmitter } from 'node:events';
import { DeviceSocketSession, type SessionHooks, type SessionSocket } from './device-socket-session.js';
import type { AuthenticatedDevice } from './socket-authenticator.js';

const DEVICE: AuthenticatedDevice = { ownerId: 'user-1', deviceId: 'device-1', group: 'normal' };
const timings = { authDeadlineMs: 5_000, pingIntervalMs: 30_000 };

/** A socket that records what the session does to it; `receive` plays a frame from the client. */
class FakeSocket extends EventEmitter implements SessionSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  pings = 0;
  paused = false;

  send(data: string | Buffer): void {
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : data);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  ping(): void {
    this.pings += 1;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false);
  }
}

function setUp(authenticate: SessionHooks['authenticate'] = async () => DEVICE) {
  const socket = new FakeSocket();
  const hooks = {
    authenticate: jest.fn(authenticate),
    ready: jest.fn<SessionHooks['ready']>(),
    beat: jest.fn<SessionHooks['beat']>(),
    closed: jest.fn<SessionHooks['closed']>(),
    relay: jest.fn<SessionHooks['relay']>(),
  };
  const session = new DeviceSocketSession(socket, hooks, timings);
  return { socket, hooks, session };
}

describe('DeviceSocketSession', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is ready at once for an upgrade that authenticated, and answers pings', () => {
    const { socket, hooks, session } = setUp();
    session.start(DEVICE);
    expect(socket.sent).toEqual([{ type: 'ready', deviceId: 'device-1' }]);
    expect(hooks.ready).toHaveBeenCalledWith(session);
    expect(session.device).toEqual(DEVICE);
    socket.receive({ type: 'ping' });
    expect(socket.sent.at(-1)).toEqual({ type: 'pong' });
  });

  it('authenticates with the first frame, holding later frames until it is ready', async () => {
    let finish!: (device: AuthenticatedDevice) => void;
    const { socket, hooks, session } = setUp(() => new Promise((resolve) => (finish = resolve)));
    session.start();
    socket.receive({ type: 'auth', token: 'tok', deviceId: 'device-1' });
    expect(hooks.authenticate).toHaveBeenCalledWith('tok', 'device-1');
    expect(socket.paused).toBe(true);
    socket.receive({ type: 'ping' });
    expect(socket.sent).toEqual([]);

    finish(DEVICE);
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.sent).toEqual([{ type: 'ready', deviceId: 'device-1' }, { type: 'pong' }]);
    expect(socket.paused).toBe(false);
  });

  it('closes 4401 when no auth frame comes within the deadline', async () => {
    const { socket, session } = setUp();
    session.start();
    await jest.advanceTimersByTimeAsync(4_999);
    expect(socket.closedWith).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.closedWith).toBe(4401);
  });

  it('closes 4401 when the first frame is not an auth frame, reading nothing else', () => {
    const { socket, hooks, session } = setUp();
    session.start();
    socket.receive({ type: 'ping' });
    expect(socket.closedWith).toBe(4401);
    expect(socket.sent).toEqual([]);
    expect(hooks.authenticate).not.toHaveBeenCalled();
  });

  it('closes 4401 for bad credentials and 4403 for a disabled account', async () => {
    for (const [code, closeCode] of [
      [ErrorCode.UNAUTHENTICATED, 4401],
      [ErrorCode.ACCOUNT_DISABLED, 4403],
    ] as const) {
      const { socket, hooks, session } = setUp(async () => {
        throw new DomainError(code, 'no');
      });
      session.start();
      socket.receive({ type: 'auth', token: 'tok', deviceId: 'device-1' });
      await jest.advanceTimersByTimeAsync(0);
      expect(socket.closedWith).toBe(closeCode);
      expect(socket.paused).toBe(false); // so the client's close frame is read
      expect(hooks.ready).not.toHaveBeenCalled();
      expect(hooks.closed).not.toHaveBeenCalled();
    }
  });

  it('does not become ready when the deadline closed it while the credentials were checked', async () => {
    let finish!: (device: AuthenticatedDevice) => void;
    const { socket, hooks, session } = setUp(() => new Promise((resolve) => (finish = resolve)));
    session.start();
    socket.receive({ type: 'auth', token: 'tok', deviceId: 'device-1' });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(socket.closedWith).toBe(4401);
    finish(DEVICE);
    await jest.advanceTimersByTimeAsync(0);
    expect(hooks.ready).not.toHaveBeenCalled();
    expect(socket.sent).toEqual([]);
  });

  it('answers bad frames with an error frame and stays open', () => {
    const { socket, session } = setUp();
    session.start(DEVICE);
    socket.receive('{not json');
    socket.receive({ type: 'launch.rockets' });
    socket.receive({ type: 'auth', token: 'tok', deviceId: 'device-1' });
    expect(socket.sent.slice(1)).toEqual([
      { type: 'error', code: 'VALIDATION_FAILED', message: expect.any(String) },
      { type: 'error', code: 'VALIDATION_FAILED', message: expect.any(String) },
      { type: 'error', code: 'VALIDATION_FAILED', message: expect.any(String) },
    ]);
    expect(socket.closedWith).toBeUndefined();
  });

  it('pings every interval while the client answers, and closes 4408 after three silent ones', async () => {
    const { socket, hooks, session } = setUp();
    session.start(DEVICE);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(socket.pings).toBe(1);
    expect(hooks.beat).toHaveBeenCalledTimes(1);
    socket.emit('pong'); // heard at 30 s: pinged at 60 and 90 s, closed at 120 s, 90 s after it
    await jest.advanceTimersByTimeAsync(60_000);
    expect(socket.closedWith).toBeUndefined();
    expect(socket.pings).toBe(3);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(socket.closedWith).toBe(4408);
    expect(hooks.closed).toHaveBeenCalledWith(session);
  });

  it('hands binary frames and transfer.sent/received frames to the relay hook', () => {
    const { socket, hooks, session } = setUp();
    session.start(DEVICE);
    const id = '0190a000-0000-7000-8000-000000000009';
    socket.emit('message', Buffer.from([1, 2, 3]), true);
    socket.receive({ type: 'transfer.sent', transferId: id, sha256: ['ab'.repeat(32)] });
    socket.receive({ type: 'transfer.received', transferId: id, ok: false });
    expect(hooks.relay.mock.calls.map(([, input]) => input)).toEqual([
      { type: 'bytes', data: Buffer.from([1, 2, 3]) },
      { type: 'transfer.sent', transferId: id, sha256: ['ab'.repeat(32)] },
      { type: 'transfer.received', transferId: id, ok: false },
    ]);
  });

  it('stops reading while any stream holds it, and reads again when the last lets go', () => {
    const { socket, session } = setUp();
    session.start(DEVICE);
    session.holdReading();
    session.holdReading();
    expect(socket.paused).toBe(true);
    session.releaseReading();
    expect(socket.paused).toBe(true);
    session.releaseReading();
    expect(socket.paused).toBe(false);
    session.releaseReading();
    expect(socket.paused).toBe(false);
  });

  it('reports the close of a ready socket once, and stops its timers', async () => {
    const { socket, hooks, session } = setUp();
    session.start(DEVICE);
    socket.close(1000);
    await jest.advanceTimersByTimeAsync(200_000);
    expect(hooks.closed).toHaveBeenCalledTimes(1);
    expect(socket.pings).toBe(0);
  });
});
