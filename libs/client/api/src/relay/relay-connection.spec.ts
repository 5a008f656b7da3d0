import { RelayConnection, type ConnectionStatus, type RelaySocket } from './relay-connection.js';
import { settle } from '../../test/bytes.js';
import type { ServerEvent } from './events.js';

class FakeSocket implements RelaySocket {
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  onopen: RelaySocket['onopen'] = null;
  onmessage: RelaySocket['onmessage'] = null;
  onclose: RelaySocket['onclose'] = null;
  onerror: RelaySocket['onerror'] = null;
  readonly sent: (string | Uint8Array)[] = [];
  constructor(readonly url: string) {}
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSends(event: object | ArrayBuffer): void {
    this.onmessage?.({ data: event instanceof ArrayBuffer ? event : JSON.stringify(event) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

/** Timers run by hand: a test says when time passes, never how long it takes. */
function manualTimers() {
  const pending: { run: () => void; ms: number }[] = [];
  return {
    pending,
    setTimer: (run: () => void, ms: number) => {
      const timer = { run, ms };
      pending.push(timer);
      return timer;
    },
    clearTimer: (timer: unknown) => {
      const index = pending.indexOf(timer as (typeof pending)[number]);
      if (index >= 0) pending.splice(index, 1);
    },
    fire(ms: number) {
      const due = pending.filter((timer) => timer.ms === ms);
      for (const timer of due) pending.splice(pending.indexOf(timer), 1);
      for (const timer of due) timer.run();
    },
  };
}

function setUp(token: string | null = 'token-1') {
  const sockets: FakeSocket[] = [];
  const events: ServerEvent[] = [];
  const frames: Uint8Array[] = [];
  const statuses: [ConnectionStatus, number | undefined][] = [];
  const timers = manualTimers();
  const connection = new RelayConnection({
    url: 'ws://gateway/ws',
    deviceId: 'device-1',
    accessToken: async () => token,
    onEvent: (event) => events.push(event),
    onFrame: (frame) => frames.push(frame),
    onStatus: (status, code) => statuses.push([status, code]),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    pingMs: 25_000,
    retryMs: 1000,
    maxRetryMs: 4000,
    ...timers,
  });
  return { connection, sockets, events, frames, statuses, timers };
}

describe('RelayConnection', () => {
  it('authenticates with its first frame, then is ready and passes events and frames on', async () => {
    const { connection, sockets, events, frames } = setUp();
    connection.start();
    await settle();
    const socket = sockets[0]!;
    expect(socket.url).toBe('ws://gateway/ws');
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open();
    expect(JSON.parse(socket.sent[0] as string)).toEqual({ type: 'auth', token: 'token-1', deviceId: 'device-1' });
    expect(connection.send({ type: 'ping' })).toBe(false); // not ready yet
    socket.serverSends({ type: 'ready', deviceId: 'device-1' });
    expect(connection.state).toBe('ready');
    socket.serverSends({ type: 'device.online', deviceId: 'device-2' });
    socket.serverSends(new Uint8Array([9, 9]).buffer);
    socket.onmessage?.({ data: 'not json' });
    expect(events.map((event) => event.type)).toEqual(['ready', 'device.online']);
    expect(Array.from(frames[0]!)).toEqual([9, 9]);
  });

  it('pings while ready', async () => {
    const { connection, sockets, timers } = setUp();
    connection.start();
    await settle();
    sockets[0]!.open();
    sockets[0]!.serverSends({ type: 'ready', deviceId: 'device-1' });
    timers.fire(25_000);
    timers.fire(25_000);
    expect(sockets[0]!.sent.slice(1).map((frame) => JSON.parse(frame as string))).toEqual([
      { type: 'ping' },
      { type: 'ping' },
    ]);
  });

  it('reconnects after a drop with a doubling delay up to its cap, and from the first delay once ready again', async () => {
    const { connection, sockets, timers, statuses } = setUp();
    connection.start();
    await settle();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      sockets.at(-1)!.drop(1006);
      delays.push(timers.pending.at(-1)!.ms);
      timers.fire(timers.pending.at(-1)!.ms);
      await settle();
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000]);
    expect(sockets).toHaveLength(5);
    expect(statuses.filter(([status]) => status === 'waiting')).toHaveLength(4);
    sockets[4]!.open();
    sockets[4]!.serverSends({ type: 'ready', deviceId: 'device-1' });
    sockets[4]!.drop(1001);
    expect(timers.pending.at(-1)!.ms).toBe(1000);
  });

  it('stops trying when the server refuses the credentials (4401), and when stopped', async () => {
    const refused = setUp();
    refused.connection.start();
    await settle();
    refused.sockets[0]!.drop(4401);
    expect(refused.connection.state).toBe('refused');
    expect(refused.timers.pending).toHaveLength(0);

    const stopped = setUp();
    stopped.connection.start();
    await settle();
    stopped.connection.stop();
    expect(stopped.sockets[0]!.readyState).toBe(3);
    expect(stopped.timers.pending).toHaveLength(0);
    expect(stopped.connection.state).toBe('stopped');
  });

  it('does not connect without a token', async () => {
    const { connection, sockets } = setUp(null);
    connection.start();
    await settle();
    expect(sockets).toHaveLength(0);
    expect(connection.state).toBe('refused');
  });
});
